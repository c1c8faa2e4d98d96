namespace Routing.Ledger.Writing;

/// <summary>A row on its way to the database, and the signal its caller waits on.</summary>
internal sealed class PendingRecord(LedgerRow row)
{
    // Continuations run off the writer loop, so a caller resuming never delays the next batch.
    private readonly TaskCompletionSource committed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public LedgerRow Row { get; } = row;

    public Task Committed => committed.Task;

    /// <summary>The database refused it for good and it was set aside in rejected_records.</summary>
    public bool Rejected { get; set; }

    public void MarkCommitted() => committed.TrySetResult();

    /// <summary>Shutdown gave up on this record (logged and counted by the journal).</summary>
    public void MarkAbandoned() => committed.TrySetCanceled();
}
