namespace Routing.Calls;

/// <summary>
/// Ledger event kinds of a call's hand-over to the dialplan fallback. <see cref="Tried"/> is written
/// before any request goes to Asterisk (write before act); <see cref="Failed"/> follows only when the
/// hand-over did not happen, so a reader tells a hand-over tried from one done. Neither is an outcome:
/// the call's one <c>outcome</c> event follows either way.
/// </summary>
public static class FailoverEvents
{
    /// <summary>The hand-over is about to be tried; the detail names its target (agency and region, or shed).</summary>
    public const string Tried = "failover";

    /// <summary>The hand-over announced by <see cref="Tried"/> did not happen; the detail carries Asterisk's error.</summary>
    public const string Failed = "failover.failed";

    /// <summary>Nothing was handed over: the caller was gone before the hand-over began.</summary>
    public const string Skipped = "failover.skipped";
}
