using Routing.Calls.Ports;

namespace Routing.Calls.Tests.Fakes;

public sealed class FakeJournal(EventLog log) : ICallJournal
{
    private readonly List<object> _records = [];

    /// <summary>When set, every write throws (a database that is down and has no spool).</summary>
    public bool Broken { get; set; }

    public IReadOnlyList<object> Records
    {
        get
        {
            lock (_records) return _records.ToList();
        }
    }

    public IReadOnlyList<CallEventRecord> Events => Records.OfType<CallEventRecord>().ToList();

    public IReadOnlyList<LegRecord> Legs => Records.OfType<LegRecord>().ToList();

    public IReadOnlyList<CallEventRecord> EventsOf(string kind) => Events.Where(e => e.Kind == kind).ToList();

    public ValueTask CallArrivedAsync(CallRecord call, CancellationToken cancellationToken) => Write(call, "journal:call");

    public ValueTask LegPlannedAsync(LegRecord leg, CancellationToken cancellationToken) => Write(leg, $"journal:leg {leg.ChannelId}");

    public ValueTask AppendAsync(CallEventRecord callEvent, CancellationToken cancellationToken) =>
        Write(callEvent, $"journal:{callEvent.Kind} {callEvent.Detail}");

    private ValueTask Write(object record, string entry)
    {
        if (Broken) return ValueTask.FromException(new InvalidOperationException("database is down"));
        lock (_records) _records.Add(record);
        log.Add(entry);
        return ValueTask.CompletedTask;
    }
}
