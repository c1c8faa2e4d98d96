using Microsoft.Extensions.Logging;

namespace Routing.Engine;

/// <summary>Every log line of the host, with stable event ids and structured names.</summary>
internal static partial class LogMessages
{
    [LoggerMessage(1070, LogLevel.Warning, "Overloaded: new callers go to the dialplan fallback until the engine catches up ({Reason})")]
    public static partial void OverloadShedding(ILogger logger, string reason);

    [LoggerMessage(1071, LogLevel.Warning, "Overload recovered: new callers are routed by the engine again")]
    public static partial void OverloadRecovered(ILogger logger);

    [LoggerMessage(1680, LogLevel.Warning, "Overload flag raised in the dialplan ({Variable} until {Until:HH:mm:ss}): Asterisk sends new callers to the fallback without Stasis")]
    public static partial void DialplanShedRaised(ILogger logger, string variable, DateTimeOffset until);

    [LoggerMessage(1681, LogLevel.Warning, "Overload flag cleared in the dialplan ({Variable}): new callers enter Stasis again")]
    public static partial void DialplanShedCleared(ILogger logger, string variable);

    [LoggerMessage(1682, LogLevel.Error, "Overload flag {Variable} could not be {What} over AMI: {Error}; shed callers still reach the engine and are shed there")]
    public static partial void DialplanShedFailed(ILogger logger, string variable, string what, string error);

    [LoggerMessage(1072, LogLevel.Warning, "{Count} new callers shed to the dialplan fallback since the last such line (latest {ChannelId}: {Reason})")]
    public static partial void CallsShed(ILogger logger, long count, string channelId, string reason);

    [LoggerMessage(1001, LogLevel.Information, "ARI events connected (generation {Generation})")]
    public static partial void AriConnected(ILogger logger, long generation);

    [LoggerMessage(1006, LogLevel.Debug, "ARI event filter set after connect (generation {Generation}): {Count} event types Asterisk no longer sends")]
    public static partial void AriEventFilterApplied(ILogger logger, long generation, int count);

    [LoggerMessage(1007, LogLevel.Warning, "ARI event filter could not be set after connect (generation {Generation}): {Error}; calls are unaffected, Asterisk keeps sending events the engine ignores")]
    public static partial void AriEventFilterFailed(ILogger logger, long generation, string error);

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

    [LoggerMessage(1036, LogLevel.Warning, "Caller channel {ChannelId} of call {CallId} was still in our app after the call ended ({Outcome}): its own hand-over got no answer; handing it to the dialplan fallback again, recorded as handover.retried, not as a second outcome")]
    public static partial void HandOverRetried(ILogger logger, string channelId, string callId, string outcome);

    [LoggerMessage(1600, LogLevel.Error, "Caller channel {ChannelId} (call {CallId}) was in our app with no live call and could not be handed to the dialplan fallback ({Step}: {Error}); recorded as failover.failed, the call stays open and the next reconcile pass tries again while the caller is in our app")]
    public static partial void OrphanHandOverFailed(ILogger logger, string channelId, string callId, string step, string error);

    [LoggerMessage(1601, LogLevel.Warning, "Stopping: the app's endpoint subscriptions {Endpoints} could not be dropped ({Error}); Asterisk keeps the app listed, inactive, until they are (the next engine reuses them)")]
    public static partial void EndpointSubscriptionsKept(ILogger logger, string endpoints, string error);

    [LoggerMessage(1602, LogLevel.Information, "Stopping: dropped the app's endpoint subscriptions {Endpoints}, so Asterisk forgets the app once its websocket closes")]
    public static partial void EndpointSubscriptionsDropped(ILogger logger, string endpoints);

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

    [LoggerMessage(1026, LogLevel.Warning, "{Count} calls left open by an earlier run of this node were closed: {Completed} Completed (bridged with an agency, ended while the engine was away), {Lost} LostDuringOutage (caller gone before reaching an agency; call-back recorded), {FailedOver} FailedOver (routed by the dialplan)")]
    public static partial void OpenCallsClosedAfterRestart(ILogger logger, int count, int completed, int lost, int failedOver);

    [LoggerMessage(1034, LogLevel.Warning, "Dead man's switch: TIMEOUT(absolute) of channel {ChannelId} could not be set to {Seconds}: {Error}")]
    public static partial void DeadMansSwitchFailed(ILogger logger, string channelId, int seconds, string error);

    [LoggerMessage(1032, LogLevel.Warning, "Bridge {BridgeId} of an earlier run still holds a conversation ({Channels}; call {CallId}): adopted, it goes on until one side hangs up")]
    public static partial void ConversationAdopted(ILogger logger, string bridgeId, string channels, string callId);

    [LoggerMessage(1033, LogLevel.Information, "Adopted conversation in bridge {BridgeId} ended: the {Side} {How}; the other side was hung up and call {CallId} closed as Completed")]
    public static partial void AdoptedConversationEnded(ILogger logger, string bridgeId, string side, string how, string callId);

    [LoggerMessage(1027, LogLevel.Warning, "Engine stopping: {Ended} of {Live} live calls handed to the dialplan fallback; bridged calls stay bridged in Asterisk")]
    public static partial void HandedOverOnStop(ILogger logger, int ended, int live);

    [LoggerMessage(1030, LogLevel.Information, "Simulated Asterisk listening: ARI {AriUrl}, AMI {AmiEndPoint}")]
    public static partial void SimulatorStarted(ILogger logger, Uri ariUrl, string amiEndPoint);

    [LoggerMessage(1031, LogLevel.Warning, "Synthetic call could not be placed: {Error}")]
    public static partial void SyntheticCallFailed(ILogger logger, string error);

    [LoggerMessage(1300, LogLevel.Error, "Message to the caller of call {CallId} ({Stage}) dropped: the queue of {Capacity} messages is full")]
    public static partial void CallerMessageDropped(ILogger logger, string callId, string stage, int capacity);

    [LoggerMessage(1301, LogLevel.Warning, "Message to the caller of call {CallId} ({Stage}) failed after {Attempts} attempt(s): {Error}")]
    public static partial void CallerMessageFailed(ILogger logger, string callId, string stage, int attempts, string error);

    [LoggerMessage(1302, LogLevel.Warning, "Ledger line {Kind} for call {CallId}'s caller message could not be written: {Error}")]
    public static partial void CallerMessageRecordFailed(ILogger logger, string callId, string kind, string error);

    [LoggerMessage(1310, LogLevel.Warning, "CEL line {File}:{Line} skipped: {Error}")]
    public static partial void CelLineRejected(ILogger logger, string file, long line, string error);

    [LoggerMessage(1311, LogLevel.Information, "Call {CallId} (caller channel {ChannelId}, {Legs} leg(s)) was routed by the dialplan without the engine; recorded from CEL")]
    public static partial void CelFallbackCallRecorded(ILogger logger, string callId, string channelId, int legs);

    [LoggerMessage(1312, LogLevel.Warning, "CEL file {File} is not there (yet); calls routed without the engine are not recorded until it is")]
    public static partial void CelFileMissing(ILogger logger, string file);

    [LoggerMessage(1313, LogLevel.Error, "CEL import from {File} failed: {Error}; retrying on the next pass")]
    public static partial void CelImportFailed(ILogger logger, string file, string error);

    [LoggerMessage(1320, LogLevel.Information, "Recording {Path} of call {CallId} indexed: {Bytes} bytes")]
    public static partial void RecordingIndexed(ILogger logger, string callId, string path, long bytes);

    [LoggerMessage(1321, LogLevel.Error, "Indexing recordings in {Directory} failed: {Error}; retrying on the next pass")]
    public static partial void RecordingIndexFailed(ILogger logger, string directory, string error);

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

    [LoggerMessage(1119, LogLevel.Warning, "Asterisk refused the call-taker phones' deviceState subscription ({Refusal}): no event will say a phone registered or went away; {Instead}")]
    public static partial void CallTakerDevicesNotWatched(ILogger logger, string refusal, string instead);

    [LoggerMessage(1035, LogLevel.Warning, "Synthetic call-taker {User}: {Error}")]
    public static partial void SyntheticCallTakerFailed(ILogger logger, string user, string error);

    [LoggerMessage(1040, LogLevel.Critical, "Configuration is invalid:\n{Errors}")]
    public static partial void InvalidConfiguration(ILogger logger, string errors);

    [LoggerMessage(1055, LogLevel.Warning, "{Count} unowned channels left alone in this pass: could not prove every earlier ARI event was handled ({Reason}); a StasisStart may still be on its way")]
    public static partial void OrphanHandOverDeferred(ILogger logger, int count, string reason);

    [LoggerMessage(1056, LogLevel.Error, "Callback round failed; the next one runs in the usual interval")]
    public static partial void CallbackRoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(1057, LogLevel.Warning, "Automatic call back for call {CallId} did not reach the caller: {Note}; the task stays attempted for a call-taker")]
    public static partial void CallbackNotReached(ILogger logger, string callId, string note);

    [LoggerMessage(1058, LogLevel.Critical, "ALARM: {Count} callback tasks have waited more than {OverdueAfter} without any attempt")]
    public static partial void CallbacksOverdue(ILogger logger, int count, TimeSpan overdueAfter);

    [LoggerMessage(1400, LogLevel.Information, "Location from {Source} for call {CallId}: {Result}")]
    public static partial void LocationMatched(ILogger logger, string source, string callId, string result);

    [LoggerMessage(1401, LogLevel.Warning, "Location from {Source} refused ({Status}): {Reason}")]
    public static partial void LocationRefused(ILogger logger, string source, int status, string reason);

    [LoggerMessage(1402, LogLevel.Information, "Location from {Source} held for a call not arrived yet: {Reason}")]
    public static partial void LocationHeld(ILogger logger, string source, string reason);

    [LoggerMessage(1403, LogLevel.Warning, "Location from {Source} held for a call that never came; dropped after {Held}")]
    public static partial void LocationHeldExpired(ILogger logger, string source, TimeSpan held);

    [LoggerMessage(1404, LogLevel.Warning, "Geolocation headers of channel {ChannelId} could not be read: {Error}; the call is routed by its number")]
    public static partial void SipLocationReadFailed(ILogger logger, string channelId, string error);

    [LoggerMessage(1410, LogLevel.Warning, "Text message from {Endpoint}, which is no configured text gateway (Text:Gateways): ignored")]
    public static partial void TextFromUnknownEndpoint(ILogger logger, string endpoint);

    [LoggerMessage(1411, LogLevel.Warning, "Text gateways not subscribed ({Endpoints}): {Error}; their messages reach only the dialplan until the next connect")]
    public static partial void TextSubscribeFailed(ILogger logger, string endpoints, string error);

    [LoggerMessage(1412, LogLevel.Information, "Subscribed to text from {Endpoints}")]
    public static partial void TextSubscribed(ILogger logger, string endpoints);

    [LoggerMessage(1413, LogLevel.Warning, "Text to {To} for session {SessionId} failed: {Error}")]
    public static partial void TextSendFailed(ILogger logger, string sessionId, string to, string error);

    [LoggerMessage(1414, LogLevel.Warning, "Text session {SessionId}: {Input} failed: {Error}")]
    public static partial void TextInputFailed(ILogger logger, string sessionId, string input, string error, Exception exception);

    [LoggerMessage(1415, LogLevel.Warning, "New text caller at {Gateway} refused: {Open} sessions open (Text:MaxOpenSessions)")]
    public static partial void TextSessionsFull(ILogger logger, string gateway, int open);

    [LoggerMessage(1520, LogLevel.Warning, "Synthetic text caller's message through {Endpoint} did not reach the engine: {Delivery}")]
    public static partial void SyntheticTextNotDelivered(ILogger logger, string endpoint, string delivery);

    [LoggerMessage(1059, LogLevel.Warning, "Call back {CallbackId}: an event came after it was over; ignored")]
    public static partial void CallbackEventAfterEnd(ILogger logger, string callbackId);

    [LoggerMessage(1060, LogLevel.Error, "Call back {CallbackId}: a step failed: {Error}; its legs' ends still end it")]
    public static partial void CallbackStepFailed(ILogger logger, string callbackId, string error, Exception exception);

    [LoggerMessage(1560, LogLevel.Information, "Wallboard history seeded from the ledger since {From:o}: {Arrivals} arrivals, {Answers} answers, {TrunkFailures} trunk failures; shift figures from {ShiftStart:o}")]
    public static partial void WallboardSeeded(ILogger logger, DateTimeOffset from, int arrivals, int answers, int trunkFailures, DateTimeOffset shiftStart);

    [LoggerMessage(1561, LogLevel.Warning, "Wallboard history: the ledger holds more than {Limit} {What} since {From:o}; only the newest {Limit} were read, the shift's older figures are partial")]
    public static partial void WallboardSeedCapped(ILogger logger, int limit, string what, DateTimeOffset from);

    [LoggerMessage(1562, LogLevel.Warning, "Wallboard history: {Count} ledger events could not be read as wallboard facts and were skipped")]
    public static partial void WallboardSeedUnreadable(ILogger logger, int count);

    [LoggerMessage(1563, LogLevel.Error, "Wallboard history: the ledger could not be read at start ({Error}); the wallboard shows only what happens from now on")]
    public static partial void WallboardSeedFailed(ILogger logger, string error, Exception exception);

    [LoggerMessage(1564, LogLevel.Warning, "Wallboard history: the ledger's spool from the last run was not in the database after {Waited}; read without its last records, the shift's figures may miss them")]
    public static partial void WallboardSeedReplayPending(ILogger logger, TimeSpan waited);

    [LoggerMessage(1620, LogLevel.Information, "Location reference of call {CallId} (#{Fingerprint}) fetched by {Who}: {Result}")]
    public static partial void LocationDereferenced(ILogger logger, string callId, string fingerprint, string who, string result);

    [LoggerMessage(1621, LogLevel.Warning, "Location reference with an unknown token fetched by {Who}: 404 (a guess, or a reference forgotten long ago)")]
    public static partial void LocationReferenceUnknown(ILogger logger, string who);

    [LoggerMessage(1622, LogLevel.Warning, "Location reference fetches with unknown tokens: more than {PerMinute} a minute, the rest of this minute is counted (routing_location_dereferences_total) but not written to the ledger")]
    public static partial void LocationReferenceProbesCapped(ILogger logger, int perMinute);

    [LoggerMessage(1623, LogLevel.Warning, "Text heartbeat ({Variable}) could not be written over ARI: {Error}; once it is older than TEXT_HEARTBEAT_STALE the dialplan forwards texts itself")]
    public static partial void TextHeartbeatFailed(ILogger logger, string variable, string error);

    [LoggerMessage(1624, LogLevel.Information, "Text heartbeat ({Variable}) written again after {Failures} failed attempts")]
    public static partial void TextHeartbeatRecovered(ILogger logger, string variable, int failures);

    [LoggerMessage(1640, LogLevel.Information, "Text heartbeat ({Variable}) set to 0 at the stop: the dialplan forwards texts to the fallback desk from now on")]
    public static partial void TextHeartbeatAway(ILogger logger, string variable);

    [LoggerMessage(1641, LogLevel.Warning, "Text heartbeat ({Variable}) could not be set to 0 at the stop: {Error}; the dialplan takes texts once it is stale (TEXT_HEARTBEAT_STALE)")]
    public static partial void TextHeartbeatAwayFailed(ILogger logger, string variable, string error);

    [LoggerMessage(1642, LogLevel.Information, "Text the dialplan forwarded while the engine was away recorded from CEL as {CallId} (from {Number})")]
    public static partial void CelFallbackTextRecorded(ILogger logger, string callId, string number);

    [LoggerMessage(1643, LogLevel.Information, "{Count} text session(s) an earlier run left open taken back (adopted, requeued or closed as idle)")]
    public static partial void TextSessionsAdopted(ILogger logger, int count);

    [LoggerMessage(1644, LogLevel.Warning, "Text sessions of an earlier run could not be taken back: {Error}; restart recovery leaves them open for the next start")]
    public static partial void TextAdoptionFailed(ILogger logger, string error);
}
