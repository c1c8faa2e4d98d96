using Routing.Ledger;

namespace Routing.Engine.Tests;

/// <summary>What the ledger says about one finished call, flattened for assertions.</summary>
internal sealed record LedgerView(string Outcome, string CallerNumber, string Entry, IReadOnlyList<Routing.Calls.Ports.LegRecord> Legs, IReadOnlyList<string> EventKinds)
{
    public static LedgerView From(CallHistory history) => new(
        history.Events.Last(e => e.Event.Kind == LedgerEventKinds.Outcome).Event.Detail,
        history.Call.Call.CallerNumber,
        history.Call.Call.Entry,
        history.Legs.Select(l => l.Leg).ToList(),
        history.Events.Select(e => e.Event.Kind).ToList());
}
