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
public sealed record LedgerStats(long Written, long Late, long Pending, long Failures, long QueueFull, long Abandoned, long Rejected, string? LastError);
