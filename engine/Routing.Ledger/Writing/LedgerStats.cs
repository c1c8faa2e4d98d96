namespace Routing.Ledger;

/// <summary>A snapshot of the journal's counters.</summary>
/// <param name="Written">Records committed.</param>
/// <param name="Late">Records whose caller stopped waiting at <see cref="LedgerOptions.WriteBeforeActTimeout"/>
/// (they are still written).</param>
/// <param name="Pending">Records accepted and not yet committed (queued, in a failing batch, or waiting for queue space).</param>
/// <param name="Failures">Failed attempts to commit a batch (each is retried).</param>
/// <param name="QueueFull">Records that found the queue full and had to wait for space.</param>
/// <param name="Abandoned">Records given up at shutdown because the database stayed away
/// past <see cref="LedgerOptions.ShutdownFlushTimeout"/>. Zero unless the database was down at shutdown.</param>
/// <param name="Rejected">Records the database refused for good (constraint or data error), kept in
/// <c>rejected_records</c> instead of blocking the records behind them. Non-zero means a bug upstream.</param>
/// <param name="LastError">The most recent database error, or null.</param>
/// <param name="Spooled">Records fsynced to the local spool because the database was slow or away.</param>
/// <param name="SpoolBytes">Bytes in spool files now (this run's and any not yet replayed).</param>
/// <param name="SpoolFull">Records the spool could not take (full, or its disk failing): the alarm.
/// They wait for the database in memory; non-zero means records could die with the process.</param>
/// <param name="Replayed">Records read back at start from spool files an earlier run left.</param>
/// <param name="KeptInSpool">Records not in the database at shutdown but safe in the spool.</param>
/// <param name="ChainHead">Position of the newest row of this node's hash chain.</param>
public sealed record LedgerStats(
    long Written, long Late, long Pending, long Failures, long QueueFull, long Abandoned, long Rejected, string? LastError,
    long Spooled = 0, long SpoolBytes = 0, long SpoolFull = 0, long Replayed = 0, long KeptInSpool = 0, long ChainHead = 0)
{
    /// <summary>Outcomes left out because their call already had one (a call has exactly one outcome; the first
    /// stays, <see cref="Writing.LedgerRowFactory.OutcomeEventId"/>). Counted in <see cref="Written"/> all the same:
    /// nothing is left to write. Non-zero means a writer upstream did not know the call had ended.</summary>
    public long RefusedOutcomes { get; init; }
}
