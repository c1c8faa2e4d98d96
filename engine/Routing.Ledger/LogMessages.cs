using Microsoft.Extensions.Logging;

namespace Routing.Ledger;

/// <summary>Every ledger log line, with stable event ids (8100-8199).</summary>
internal static partial class LogMessages
{
    [LoggerMessage(8100, LogLevel.Information, "Ledger opened: {Options}")]
    public static partial void LedgerOpened(this ILogger logger, string options);

    [LoggerMessage(8101, LogLevel.Information, "Ledger migration {Version} {Name} applied on {Provider}")]
    public static partial void MigrationApplied(this ILogger logger, int version, string name, string provider);

    [LoggerMessage(8110, LogLevel.Error, "Ledger write of {Count} records failed (attempt {Attempt}); the records are kept in order and retried in {RetryDelayMs} ms")]
    public static partial void BatchFailed(this ILogger logger, Exception exception, int count, int attempt, long retryDelayMs);

    [LoggerMessage(8111, LogLevel.Information, "Ledger writes recovered after {Attempts} attempts; {Count} held records committed")]
    public static partial void BatchRecovered(this ILogger logger, int attempts, int count);

    [LoggerMessage(8112, LogLevel.Warning, "Ledger queue is full ({Capacity} records); callers now wait for space, within the write-before-act bound")]
    public static partial void QueueFull(this ILogger logger, int capacity);

    [LoggerMessage(8113, LogLevel.Debug, "Ledger record for call {CallId} not committed within {TimeoutMs} ms; the call goes on and the record is written later")]
    public static partial void RecordLate(this ILogger logger, string callId, double timeoutMs);

    [LoggerMessage(8115, LogLevel.Error, "Ledger refused a second outcome ({Outcome}) for call {CallId}: a call has exactly one outcome, the first stays; the writer that tried did not know the call had ended")]
    public static partial void SecondOutcomeRefused(this ILogger logger, string callId, string outcome);

    [LoggerMessage(8114, LogLevel.Error, "Ledger database refused the {RecordType} record {RecordKey} of call {CallId} for good; it is kept in rejected_records and the records behind it go on")]
    public static partial void RecordRejected(this ILogger logger, Exception exception, string recordType, string recordKey, string callId);

    [LoggerMessage(8120, LogLevel.Information, "Ledger closing: flushing {Pending} pending records")]
    public static partial void Flushing(this ILogger logger, long pending);

    [LoggerMessage(8121, LogLevel.Critical, "Ledger closed with {Count} records NOT written: the database stayed unavailable for {TimeoutMs} ms of shutdown. Last error: {LastError}")]
    public static partial void RecordsAbandoned(this ILogger logger, long count, double timeoutMs, string? lastError);

    [LoggerMessage(8130, LogLevel.Warning, "Ledger spool {Path}: ignored {Bytes} bytes from offset {Offset} ({Problem}); a torn last entry is never acknowledged, everything before it is replayed")]
    public static partial void SpoolTornTail(this ILogger logger, string path, long offset, long bytes, string problem);

    [LoggerMessage(8131, LogLevel.Information, "Ledger replaying {Count} records an earlier run left in {Files} spool files")]
    public static partial void SpoolReplaying(this ILogger logger, int count, int files);

    [LoggerMessage(8132, LogLevel.Critical, "ALARM: ledger spool is full ({Bytes} of {MaxBytes} bytes in {Directory}): records the database has not taken now live in memory only, until the database answers. Calls go on.")]
    public static partial void SpoolFull(this ILogger logger, long bytes, long maxBytes, string directory);

    [LoggerMessage(8133, LogLevel.Information, "Ledger spool has room again ({Bytes} of {MaxBytes} bytes)")]
    public static partial void SpoolRoomAgain(this ILogger logger, long bytes, long maxBytes);

    [LoggerMessage(8134, LogLevel.Critical, "ALARM: ledger spool write of {Count} records failed; they live in memory only until the database answers")]
    public static partial void SpoolWriteFailed(this ILogger logger, Exception exception, int count);

    [LoggerMessage(8135, LogLevel.Warning, "Ledger is spooling: the database did not take a record within {AfterMs} ms; records go to the local spool before calls go on")]
    public static partial void SpoolingStarted(this ILogger logger, double afterMs);

    [LoggerMessage(8136, LogLevel.Warning, "Ledger closed with {Count} records not in the database but kept in the spool; the next start replays them")]
    public static partial void RecordsKeptInSpool(this ILogger logger, long count);

    [LoggerMessage(8140, LogLevel.Warning, "Ledger:Chain:HmacKey is not set: rows are hash-chained but no signed checkpoints are written, so a rewrite of the whole tail would not be detected")]
    public static partial void NoCheckpointKey(this ILogger logger);
}
