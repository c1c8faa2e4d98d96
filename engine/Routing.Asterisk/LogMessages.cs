using Microsoft.Extensions.Logging;

namespace Routing.Asterisk;

/// <summary>Every log line of the Asterisk clients, with stable event ids. None of them ever carries a password.</summary>
internal static partial class LogMessages
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "ARI {Method} {Path} failed with {Status}: {AsteriskMessage}")]
    public static partial void AriRequestFailed(ILogger logger, string method, string path, int status, string asteriskMessage);

    // A 404 on a channel, bridge or playback that just went away is the normal race of a hang-up
    // with our own clean-up; the exception still carries it to the caller, which decides.
    [LoggerMessage(EventId = 1005, Level = LogLevel.Debug, Message = "ARI {Method} {Path}: {Status} {AsteriskMessage}")]
    public static partial void AriResourceGone(ILogger logger, string method, string path, int status, string asteriskMessage);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "{Detail}")]
    public static partial void AriRequestTimedOut(ILogger logger, string detail);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "ARI events connected to {Url} (generation {Generation})")]
    public static partial void AriConnected(ILogger logger, Uri url, long generation);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "ARI events connection (generation {Generation}) lost: {Reason}")]
    public static partial void AriDisconnected(ILogger logger, long generation, string reason);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Error, Message = "ARI events connect to {Url} failed: {Reason}; retrying in {RetryMs} ms")]
    public static partial void AriConnectFailed(ILogger logger, Uri url, string reason, long retryMs);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Error, Message = "ARI frame rejected: {Error}; frame starts: {Excerpt}")]
    public static partial void AriFrameRejected(ILogger logger, string error, string excerpt);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Error, Message = "ARI event buffer full: {Stream} item dropped ({TotalLost} dropped since start); the consumer must reconcile")]
    public static partial void EventDropped(ILogger logger, string stream, long totalLost);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Debug, Message = "ARI websocket close handshake did not complete: {Reason}")]
    public static partial void AriCloseIncomplete(ILogger logger, string reason);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "AMI connected to {Endpoint} ({Banner}), generation {Generation}")]
    public static partial void AmiConnected(ILogger logger, string endpoint, string banner, long generation);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "AMI connection to {Endpoint} (generation {Generation}) lost: {Reason}")]
    public static partial void AmiDisconnected(ILogger logger, string endpoint, long generation, string reason);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "AMI connect to {Endpoint} failed: {Reason}; retrying in {RetryMs} ms")]
    public static partial void AmiConnectFailed(ILogger logger, string endpoint, string reason, long retryMs);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Error, Message = "AMI malformed frame at byte {Position} (message #{MessageIndex}): {Reason}; skipped: {Excerpt}")]
    public static partial void AmiMalformedFrame(ILogger logger, long position, long messageIndex, string reason, string excerpt);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "AMI response with ActionID {ActionId} has no waiter ({Unsolicited} unsolicited since start); dropped")]
    public static partial void AmiUnsolicitedResponse(ILogger logger, string? actionId, long unsolicited);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Error, Message = "{Detail}")]
    public static partial void AmiActionTimedOut(ILogger logger, string detail);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Error, Message = "AMI event buffer full: event dropped ({TotalLost} dropped since start); the consumer must reconcile")]
    public static partial void AmiEventDropped(ILogger logger, long totalLost);
}
