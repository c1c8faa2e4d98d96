using Routing.Calls.Ports;
using Routing.Ledger.Storage;
using Routing.Ledger.Writing;

namespace Routing.Ledger.Reading;

/// <summary>
/// A snapshot of the records the journal has accepted and the database does not have yet (in memory, in
/// this run's spool, or read back from an earlier run's spool), told as the reader tells stored rows. Each
/// key once: a row replayed from two spool files is one row. Events not yet in the database have
/// <see cref="StoredEvent.Seq"/> 0 and come after the database's, in acceptance order (the order the
/// database will give them).
/// </summary>
internal sealed class UnsettledRecords(IReadOnlyList<LedgerRow> rows, ILedgerDialect dialect)
{
    public static readonly UnsettledRecords None = new([], null!);

    public bool IsEmpty => rows.Count == 0;

    public bool HasEvents => rows.Any(r => r is EventRow);

    public StoredCall? Call(string callId) => Calls.FirstOrDefault(c => c.Call.CallId == callId);

    public IEnumerable<StoredCall> Calls => Of<CallRow>(_ => true).Select(ToStored);

    public IEnumerable<StoredCall> CallsOnChannel(string channelId) => Of<CallRow>(c => c.CallerChannelId == channelId).Select(ToStored);

    public IEnumerable<StoredLeg> Legs => Of<LegRow>(_ => true).Select(ToStored);

    public IEnumerable<StoredLeg> LegsOf(string callId) => Of<LegRow>(l => l.CallId == callId).Select(ToStored);

    public IEnumerable<StoredEvent> EventsOf(string callId) => Of<EventRow>(e => e.CallId == callId).Select(ToStored);

    public IEnumerable<StoredEvent> EventsOfKinds(IReadOnlyCollection<string> kinds) =>
        Of<EventRow>(e => kinds.Contains(e.Kind, StringComparer.Ordinal)).Select(ToStored);

    /// <summary>Calls with an event of <paramref name="kind"/> here.</summary>
    public HashSet<string> CallsWithEvent(string kind) =>
        Of<EventRow>(e => e.Kind == kind).Select(e => e.CallId).ToHashSet(StringComparer.Ordinal);

    // Filtered first, then each key once: a read scans the snapshot once and keeps only what it asked for.
    private IEnumerable<T> Of<T>(Func<T, bool> wanted)
        where T : LedgerRow =>
        rows.OfType<T>().Where(wanted).DistinctBy(r => r.Key, StringComparer.Ordinal);

    private StoredCall ToStored(CallRow row) => new(
        new CallRecord(row.CallId, row.CallerChannelId, row.CallerNumber, row.DialedNumber, row.Entry, dialect.FromDatabase(row.ArrivedAt)),
        row.NodeId);

    private StoredLeg ToStored(LegRow row) => new(
        new LegRecord(row.LegId, row.CallId, row.ChannelId, row.Agency, row.Region, row.Trunk, row.Endpoint, row.Attempt, dialect.FromDatabase(row.PlannedAt)),
        row.NodeId);

    private StoredEvent ToStored(EventRow row) => new(
        0, row.EventId, new CallEventRecord(row.CallId, row.LegId, dialect.FromDatabase(row.At), row.Kind, row.Detail), row.NodeId);
}
