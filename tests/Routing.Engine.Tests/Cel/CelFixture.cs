namespace Routing.Engine.Tests.Cel;

/// <summary>The CEL rows a real Asterisk 23.4.1 wrote for a call the dialplan routed while our app was
/// down (turn2/cdr-cel-app-down.cel-rows.csv), plus the one row our sub-fallback now adds on the caller's
/// channel: CELGenUserEvent(routing112-fallback,agency=… region=… stasis=…), which app_celgenuserevent.c
/// publishes with extra {"extra":"…"} — CEL itself never shows that Stasis was tried.</summary>
internal static class CelFixture
{
    public static string[] RecordedRows() => File.ReadAllLines(Traces.PathOf("turn2/cdr-cel-app-down.cel-rows.csv"))
        .Where(l => l.Length > 0).ToArray();

    public const string MarkerRow =
        "\"USER_DEFINED\",\"2026-12-06 11:08:53\",\"Test Caller\",\"+77011234567\",\"\",\"\",\"\",\"112\",\"from-caller\",\"PJSIP/caller-00000006\",\"CELGenUserEvent\",\"routing112-fallback,agency=police region=almaty stasis=FAILED failover=\",\"3\",\"\",\"1796555333.8\",\"1796555333.8\",\"\",\"\",\"routing112-fallback\",\"{\"\"extra\"\":\"\"agency=police region=almaty stasis=FAILED failover=\"\"}\"";

    /// <summary>The recorded rows with the marker after the caller's CHAN_START, as the dialplan would write them.</summary>
    public static string[] FallbackCallRows()
    {
        var rows = RecordedRows().ToList();
        rows.Insert(1, MarkerRow);
        return rows.ToArray();
    }
}
