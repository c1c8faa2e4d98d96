using Microsoft.Extensions.Logging;

namespace Routing.Engine;

/// <summary>Every log line of the host, with stable event ids and structured names.</summary>
internal static partial class LogMessages
{
    [LoggerMessage(1001, LogLevel.Information, "ARI events connected (generation {Generation})")]
    public static partial void AriConnected(ILogger logger, long generation);

    [LoggerMessage(1002, LogLevel.Warning, "ARI events disconnected: {Reason}")]
    public static partial void AriDisconnected(ILogger logger, string reason);

    [LoggerMessage(1005, LogLevel.Error, "ARI events connection failed (HTTP {StatusCode}): {Reason}; retrying in {RetryIn}")]
    public static partial void AriConnectFailed(ILogger logger, int? statusCode, string reason, TimeSpan retryIn);

    [LoggerMessage(1003, LogLevel.Warning, "ARI frame rejected: {Error}; frame starts {Excerpt}")]
    public static partial void AriFrameRejected(ILogger logger, string error, string excerpt);

    [LoggerMessage(1004, LogLevel.Error, "{Count} ARI events were lost (inbound buffer full); reconciling")]
    public static partial void AriEventsLost(ILogger logger, long count);

    [LoggerMessage(1010, LogLevel.Warning, "Agency leg {ChannelId} answered after its call (caller {CallerChannelId}) ended; hanging it up")]
    public static partial void OrphanLegAnswered(ILogger logger, string channelId, string callerChannelId);

    [LoggerMessage(1011, LogLevel.Warning, "Second StasisStart for caller channel {ChannelId} ignored: a call already owns it")]
    public static partial void DuplicateStasisStart(ILogger logger, string channelId);

    [LoggerMessage(1012, LogLevel.Warning, "Cleanup of channel {ChannelId} failed: {Error}")]
    public static partial void CleanupFailed(ILogger logger, string channelId, string error);

    [LoggerMessage(1020, LogLevel.Debug, "Reconcile requested: {Reason}")]
    public static partial void ReconcileRequested(ILogger logger, string reason);

    [LoggerMessage(1021, LogLevel.Information, "Reconciled after {Reason}: app holds {Held} channels, {Vanished} vanished from live calls, {Orphans} orphans released")]
    public static partial void Reconciled(ILogger logger, string reason, int held, int vanished, int orphans);

    [LoggerMessage(1022, LogLevel.Warning, "Reconcile after {Reason} failed: {Error}; will retry on the next trigger")]
    public static partial void ReconcileFailed(ILogger logger, string reason, string error);

    [LoggerMessage(1028, LogLevel.Warning, "Reconcile: {Item} failed: {Error}; the rest of the pass goes on")]
    public static partial void ReconcileItemFailed(ILogger logger, string item, string error);

    [LoggerMessage(1029, LogLevel.Error, "ARI event {Type} could not be handled: {Error}; the events after it go on")]
    public static partial void EventHandlingFailed(ILogger logger, string type, string error);

    [LoggerMessage(1023, LogLevel.Warning, "Orphan agency leg {ChannelId} hung up: no live call owns it")]
    public static partial void OrphanLegReleased(ILogger logger, string channelId);

    [LoggerMessage(1024, LogLevel.Warning, "Caller channel {ChannelId} was in our app with no live call; handed to the dialplan fallback")]
    public static partial void OrphanCallerFailedOver(ILogger logger, string channelId);

    [LoggerMessage(1025, LogLevel.Information, "Bridge {BridgeId} destroyed: no live call owns it")]
    public static partial void OrphanBridgeDestroyed(ILogger logger, string bridgeId);

    [LoggerMessage(1050, LogLevel.Information, "AMI connected (generation {Generation})")]
    public static partial void AmiConnected(ILogger logger, long generation);

    [LoggerMessage(1051, LogLevel.Warning, "AMI disconnected: {Reason}")]
    public static partial void AmiDisconnected(ILogger logger, string reason);

    [LoggerMessage(1052, LogLevel.Warning, "AMI frame at byte {Position} rejected: {Reason}")]
    public static partial void AmiFrameRejected(ILogger logger, long position, string reason);

    [LoggerMessage(1053, LogLevel.Error, "{Count} AMI events were lost (inbound buffer full)")]
    public static partial void AmiEventsLost(ILogger logger, long count);

    [LoggerMessage(1054, LogLevel.Warning, "Call on channel {ChannelId} to {Dialed} could not reach the engine (Stasis app unavailable); the dialplan fallback routes it, recorded from AMI")]
    public static partial void FallbackCallObserved(ILogger logger, string channelId, string dialed);

    [LoggerMessage(1026, LogLevel.Warning, "{Count} calls left open by an earlier run of this node were closed (FailedOver if the caller was still in our app, otherwise LostDuringOutage)")]
    public static partial void OpenCallsClosedAfterRestart(ILogger logger, int count);

    [LoggerMessage(1027, LogLevel.Warning, "Engine stopping: {Ended} of {Live} live calls handed to the dialplan fallback; bridged calls stay bridged in Asterisk")]
    public static partial void HandedOverOnStop(ILogger logger, int ended, int live);

    [LoggerMessage(1030, LogLevel.Information, "Simulated Asterisk listening: ARI {AriUrl}, AMI {AmiEndPoint}")]
    public static partial void SimulatorStarted(ILogger logger, Uri ariUrl, string amiEndPoint);

    [LoggerMessage(1031, LogLevel.Warning, "Synthetic call could not be placed: {Error}")]
    public static partial void SyntheticCallFailed(ILogger logger, string error);

    [LoggerMessage(1100, LogLevel.Error, "Centre input {Input} could not be handled: {Error}; the inputs after it go on")]
    public static partial void CentreInputFailed(ILogger logger, string input, string error, Exception exception);

    [LoggerMessage(1101, LogLevel.Debug, "Centre refused {What}: {Kind} {Message}")]
    public static partial void CentreRefused(ILogger logger, string what, string kind, string message);

    [LoggerMessage(1102, LogLevel.Information, "Centre: call {CallId} is no longer live ({What})")]
    public static partial void CentreCallGone(ILogger logger, string callId, string what);

    [LoggerMessage(1103, LogLevel.Warning, "Centre: ledger write {Kind} for {CallId} failed: {Error}")]
    public static partial void CentreJournalFailed(ILogger logger, string callId, string kind, string error);

    [LoggerMessage(1104, LogLevel.Error, "Centre: unknown decision {Decision} ignored")]
    public static partial void CentreDecisionUnknown(ILogger logger, string decision);

    [LoggerMessage(1105, LogLevel.Warning, "Call-taker devices could not be read at connect: {Error}; positions stay unreachable until their devices report")]
    public static partial void CallTakerDevicesUnread(ILogger logger, string error);

    [LoggerMessage(1032, LogLevel.Warning, "Synthetic call-taker {User}: {Error}")]
    public static partial void SyntheticCallTakerFailed(ILogger logger, string user, string error);

    [LoggerMessage(1040, LogLevel.Critical, "Configuration is invalid:\n{Errors}")]
    public static partial void InvalidConfiguration(ILogger logger, string errors);
}
