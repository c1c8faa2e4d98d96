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
internal sealed class UnsettledRecords
{
    public static readonly UnsettledRecords None = new([], null!);

    private readonly List<CallRow> calls = [];
    private readonly List<LegRow> legs = [];
    private readonly List<EventRow> events = [];
    private readonly ILedgerDialect dialect;

    public UnsettledRecords(IReadOnlyList<LedgerRow> rows, ILedgerDialect dialect)
    {
        this.dialect = dialect;
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            switch (row)
            {
                case CallRow call when keys.Add("call:" + call.Key):
                    calls.Add(call);
                    break;
                case LegRow leg when keys.Add("leg:" + leg.Key):
                    legs.Add(leg);
                    break;
                case EventRow e when keys.Add("event:" + e.Key):
                    events.Add(e);
                    break;
            }
        }
    }

    public bool IsEmpty => calls.Count == 0 && legs.Count == 0 && events.Count == 0;

    public bool HasEvents => events.Count > 0;

    public StoredCall? Call(string callId) => calls.Where(c => c.CallId == callId).Select(ToStored).FirstOrDefault();

    public IEnumerable<StoredCall> Calls => calls.Select(ToStored);

    public IEnumerable<StoredCall> CallsOnChannel(string channelId) =>
        calls.Where(c => c.CallerChannelId == channelId).Select(ToStored);

    public IEnumerable<StoredLeg> LegsOf(string callId) => legs.Where(l => l.CallId == callId).Select(ToStored);

    public IEnumerable<StoredEvent> EventsOf(string callId) => events.Where(e => e.CallId == callId).Select(ToStored);

    public IEnumerable<StoredEvent> EventsOfKinds(IReadOnlyCollection<string> kinds) =>
        events.Where(e => kinds.Contains(e.Kind, StringComparer.Ordinal)).Select(ToStored);

    /// <summary>Calls with an event of <paramref name="kind"/> here.</summary>
    public HashSet<string> CallsWithEvent(string kind) =>
        events.Where(e => e.Kind == kind).Select(e => e.CallId).ToHashSet(StringComparer.Ordinal);

    private StoredCall ToStored(CallRow row) => new(
        new CallRecord(row.CallId, row.CallerChannelId, row.CallerNumber, row.DialedNumber, row.Entry, dialect.FromDatabase(row.ArrivedAt)),
        row.NodeId);

    private StoredLeg ToStored(LegRow row) => new(
        new LegRecord(row.LegId, row.CallId, row.ChannelId, row.Agency, row.Region, row.Trunk, row.Endpoint, row.Attempt, dialect.FromDatabase(row.PlannedAt)),
        row.NodeId);

    private StoredEvent ToStored(EventRow row) => new(
        0, row.EventId, new CallEventRecord(row.CallId, row.LegId, dialect.FromDatabase(row.At), row.Kind, row.Detail), row.NodeId);
}
