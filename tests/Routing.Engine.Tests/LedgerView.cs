using Routing.Ledger;

namespace Routing.Engine.Tests;

/// <summary>What the ledger says about one finished call, flattened for assertions.</summary>
internal sealed record LedgerView(string Outcome, string CallerNumber, string Entry, IReadOnlyList<Routing.Calls.Ports.LegRecord> Legs, IReadOnlyList<string> EventKinds, IReadOnlyList<string> Events)
{
    /// <summary>The call's whole story, for a failure message that explains itself.</summary>
    public override string ToString() => $"{Entry} -> {Outcome}: " + string.Join(" | ", Events);

    public static LedgerView From(CallHistory history) => new(
        history.Events.Last(e => e.Event.Kind == LedgerEventKinds.Outcome).Event.Detail,
        history.Call.Call.CallerNumber,
        history.Call.Call.Entry,
        history.Legs.Select(l => l.Leg).ToList(),
        history.Events.Select(e => e.Event.Kind).ToList(),
        history.Events.Select(e => $"{e.Event.At:HH:mm:ss.fff} {e.Event.Kind} {e.Event.Detail}").ToList());
}
