using Microsoft.Extensions.Logging;

namespace Routing.Calls;

/// <summary>Every log line of the call domain, with stable event ids and structured names.
/// Never logs a caller number: the ledger holds that, logs may travel further.</summary>
internal static partial class CallLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Call {CallId}: {Command} on {ChannelId} failed: {Error}")]
    public static partial void CommandFailed(ILogger logger, string callId, string command, string channelId, string error);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "Call {CallId}: journal write {Kind} failed; routing goes on")]
    public static partial void JournalFailed(ILogger logger, string callId, string kind, Exception exception);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "Call {CallId}: unexpected error in state {State}; handing the caller to the dialplan fallback")]
    public static partial void CallCrashed(ILogger logger, string callId, string state, Exception exception);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Critical, Message = "Call {CallId}: handing channel {ChannelId} back to the dialplan failed: {Error}")]
    public static partial void HandOverFailed(ILogger logger, string callId, string channelId, string error);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Error, Message = "Call {CallId}: {Listener} threw; ignored")]
    public static partial void ListenerFailed(ILogger logger, string callId, string listener, Exception exception);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Critical, Message = "Call {CallId}: closing the call after an error failed too")]
    public static partial void CloseFailed(ILogger logger, string callId, Exception exception);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Information, Message = "Call {CallId} ended {Outcome} (agency {Agency})")]
    public static partial void Ended(ILogger logger, string callId, string outcome, string agency);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Warning, Message = "Call {CallId}: video call, but {Party} gets audio only: {Why}")]
    public static partial void VideoNotPossible(ILogger logger, string callId, string party, string why);
}
