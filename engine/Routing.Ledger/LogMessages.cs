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

    [LoggerMessage(8114, LogLevel.Error, "Ledger database refused the {RecordType} record {RecordKey} of call {CallId} for good; it is kept in rejected_records and the records behind it go on")]
    public static partial void RecordRejected(this ILogger logger, Exception exception, string recordType, string recordKey, string callId);

    [LoggerMessage(8120, LogLevel.Information, "Ledger closing: flushing {Pending} pending records")]
    public static partial void Flushing(this ILogger logger, long pending);

    [LoggerMessage(8121, LogLevel.Critical, "Ledger closed with {Count} records NOT written: the database stayed unavailable for {TimeoutMs} ms of shutdown. Last error: {LastError}")]
    public static partial void RecordsAbandoned(this ILogger logger, long count, double timeoutMs, string? lastError);
}
