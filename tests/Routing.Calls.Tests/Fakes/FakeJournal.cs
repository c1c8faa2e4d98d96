using Routing.Calls.Ports;

namespace Routing.Calls.Tests.Fakes;

public sealed class FakeJournal(EventLog log) : ICallJournal
{
    private readonly List<object> _records = [];

    private readonly List<TaskCompletionSource> _uncommitted = [];

    /// <summary>When set, every write throws (a database that is down and has no spool).</summary>
    public bool Broken { get; set; }

    /// <summary>When set, a write is taken at once but completes only at <see cref="CommitAll"/> (a ledger
    /// whose writer commits in groups, as LedgerJournal does).</summary>
    public bool Gated { get; set; }

    /// <summary>Writes taken and not yet committed (<see cref="Gated"/>).</summary>
    public int Uncommitted
    {
        get
        {
            lock (_records) return _uncommitted.Count;
        }
    }

    /// <summary>Commits every write taken so far, in one group, and logs <c>journal:committed N</c>.</summary>
    public void CommitAll()
    {
        List<TaskCompletionSource> group;
        lock (_records)
        {
            group = [.. _uncommitted];
            _uncommitted.Clear();
            log.Add($"journal:committed {group.Count}");
        }

        foreach (var write in group) write.TrySetResult();
    }

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
        lock (_records)
        {
            _records.Add(record);
            log.Add(entry);
            if (!Gated) return ValueTask.CompletedTask;
            var commit = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _uncommitted.Add(commit);
            return new ValueTask(commit.Task);
        }
    }
}
