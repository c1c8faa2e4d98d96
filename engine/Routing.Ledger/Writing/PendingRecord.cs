namespace Routing.Ledger.Writing;

/// <summary>A row on its way to the database, and the signals its caller waits on.</summary>
internal sealed class PendingRecord(LedgerRow row)
{
    // Continuations run off the writer loop, so a caller resuming never delays the next batch.
    private readonly TaskCompletionSource committed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Made only when someone waits for the spool (a spooling episode) or the record is spooled: most records are
    // committed without either, and a second source per record was ~100 bytes of every routed call's records
    // (issue 11). Until then Settled is Committed.
    private TaskCompletionSource? settled;
    private int sentToSpool;
    private int spooledState;

    public LedgerRow Row { get; } = row;

    /// <summary>Acceptance order, 1, 2, 3, ... (spool files are retired by it).</summary>
    public long Ordinal { get; set; }

    /// <summary>Read back from an earlier run's spool: it may already be in the database.</summary>
    public bool Replayed { get; init; }

    /// <summary>Where it sits in the journal's list of records not yet in the database.</summary>
    public LinkedListNode<PendingRecord>? Unsettled { get; set; }

    public Task Committed => committed.Task;

    /// <summary>"Written": committed, or fsynced in the spool.</summary>
    public Task Settled => Volatile.Read(ref settled)?.Task ?? (committed.Task.IsCompleted ? committed.Task : EnsureSettled().Task);

    public bool IsSpooled => Volatile.Read(ref spooledState) == 1;

    /// <summary>The database refused it for good and it was set aside in rejected_records.</summary>
    public bool Rejected { get; set; }

    /// <summary>True the first time only: a record is handed to the spool once.</summary>
    public bool TrySendToSpool() => Interlocked.Exchange(ref sentToSpool, 1) == 0;

    public void MarkCommitted()
    {
        committed.TrySetResult();
        Volatile.Read(ref settled)?.TrySetResult();
    }

    public void MarkSpooled()
    {
        Volatile.Write(ref spooledState, 1);
        EnsureSettled().TrySetResult();
    }

    /// <summary>The spool could not take it (full or broken): it waits for the database in memory.</summary>
    public void MarkNotSpooled() => Volatile.Write(ref spooledState, 2);

    /// <summary>Shutdown gave up on this record (logged and counted by the journal).</summary>
    public void MarkAbandoned()
    {
        committed.TrySetCanceled();
        Volatile.Read(ref settled)?.TrySetCanceled();
    }

    private TaskCompletionSource EnsureSettled()
    {
        if (Volatile.Read(ref settled) is { } existing)
        {
            return existing;
        }

        var made = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var source = Interlocked.CompareExchange(ref settled, made, null) ?? made;

        // The commit (or the abandonment) completes Committed before it looks for this source; the exchange above
        // published it before this looks at Committed, so at least one of the two sees the other and none is missed.
        if (committed.Task.IsCanceled)
        {
            source.TrySetCanceled();
        }
        else if (committed.Task.IsCompleted)
        {
            source.TrySetResult();
        }

        return source;
    }
}
