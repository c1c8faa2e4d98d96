using Routing.Calls.Ports;

namespace Routing.Ledger;

/// <summary>Event kinds the ledger itself relies on.</summary>
public static class LedgerEventKinds
{
    /// <summary>The call's single final event; its detail is the <see cref="Routing.Calls.CallOutcome"/> name.
    /// A call without one is open.</summary>
    public const string Outcome = "outcome";
}

/// <summary>A call as stored, with the node that recorded it.</summary>
public sealed record StoredCall(CallRecord Call, string NodeId);

public sealed record StoredLeg(LegRecord Leg, string NodeId);

/// <param name="Seq">Position in the ledger: events of a call are ordered by it. 0 for an event written but not yet
/// in the database (waiting or in the spool, see <see cref="LedgerReader"/>); such events come after the database's.</param>
/// <param name="EventId">Unique id fixed by the writer, so replays are idempotent.</param>
public sealed record StoredEvent(long Seq, string EventId, CallEventRecord Event, string NodeId);

/// <summary>Everything recorded about one call: legs in planning order, events in ledger order.</summary>
public sealed record CallHistory(StoredCall Call, IReadOnlyList<StoredLeg> Legs, IReadOnlyList<StoredEvent> Events)
{
    public bool IsOpen => !Events.Any(e => e.Event.Kind == LedgerEventKinds.Outcome);
}

/// <summary>A record the database refused for good, kept whole (<paramref name="Payload"/> is its JSON).</summary>
/// <param name="RecordKey"><c>call:&lt;call id&gt;</c>, <c>leg:&lt;leg id&gt;</c> or <c>event:&lt;event id&gt;</c>.</param>
public sealed record RejectedRecord(
    long Seq, string RecordKey, string RecordType, string CallId, string Payload, string Error, DateTimeOffset RejectedAt, string NodeId);

/// <summary>Filters of a call history search; null or empty filters match everything.</summary>
public sealed record CallSearch(string? Number = null, DateTimeOffset? From = null, DateTimeOffset? To = null, string? Agency = null, string? Outcome = null);

/// <summary>One call found by a search: its record, its outcome (null while open), the agencies its legs dialed.</summary>
public sealed record CallSummary(CallRecord Call, string? Outcome, IReadOnlyList<string> Agencies);

/// <summary>One event of a callback task, with the number to call back.</summary>
public sealed record StoredCallbackEvent(string CallId, string CallerNumber, string Kind, string Detail, DateTimeOffset At);

/// <summary>When an event happened and what it said, without the rest of its row: for folds over many
/// events (the wallboard's history at start) that need only these two.</summary>
public sealed record EventFact(DateTimeOffset At, string Detail);

/// <summary>An event's instant and detail with the instant its call first had an earlier kind of event
/// (<see cref="Since"/>; the call's arrival when it never had one, null when the ledger has neither):
/// how long something took, read back from ledgers written before that span was recorded as such.</summary>
public sealed record EventSpanFact(DateTimeOffset At, string Detail, DateTimeOffset? Since);
