namespace Routing.Asterisk.Ari;

/// <summary>
/// Typed ARI REST calls. Every call has a hard timeout (<see cref="AriOptions.RequestTimeout"/>) and throws
/// <see cref="AriTimeoutException"/> when it expires, <see cref="AriException"/> for a non-2xx answer, and
/// <see cref="AriUnavailableException"/> when Asterisk cannot be reached.
/// </summary>
public interface IAriRestClient
{
    Task<AriAsteriskInfo> GetInfoAsync(CancellationToken ct = default);

    Task<IReadOnlyList<AriChannel>> ListChannelsAsync(CancellationToken ct = default);
    Task<AriChannel> GetChannelAsync(string channelId, CancellationToken ct = default);
    Task<AriChannel> OriginateAsync(AriOriginateRequest request, CancellationToken ct = default);

    /// <summary>POST /channels/create: the channel enters Stasis (StasisStart, state Down) before it is dialled with
    /// <see cref="DialAsync"/>. TimeoutSeconds and CallerId of the request are not used here.</summary>
    Task<AriChannel> CreateChannelAsync(AriOriginateRequest request, CancellationToken ct = default);

    /// <summary>POST /channels/{id}/dial for a channel made by <see cref="CreateChannelAsync"/>.</summary>
    Task DialAsync(string channelId, string? caller = null, int? timeoutSeconds = null, CancellationToken ct = default);

    Task AnswerAsync(string channelId, CancellationToken ct = default);
    Task SendDtmfAsync(string channelId, string dtmf, CancellationToken ct = default);

    /// <summary>DELETE /channels/{id}; <paramref name="reason"/> is normal, busy, congestion, no_answer, timeout, rejected, unallocated,
    /// normal_unspecified, number_incomplete, codec_mismatch, interworking, failure or answered_elsewhere.</summary>
    Task HangupAsync(string channelId, string? reason = null, CancellationToken ct = default);

    Task RingAsync(string channelId, CancellationToken ct = default);

    /// <summary>POST /channels/{id}/hold: the channel hears music on hold (its device reports ONHOLD). Asterisk sends no
    /// ChannelHold for this; ChannelHold/ChannelUnhold come when the far end (the phone) holds.</summary>
    /// <summary>PUT /endpoints/sendMessage: an out-of-dialog SIP MESSAGE through Asterisk (res_pjsip_messaging), e.g.
    /// <c>to=pjsip:sms-gateway/sip:+7701…@gw</c>; 202 Accepted with an empty body (turn2 sip-message trace). Variables
    /// become SIP headers of the MESSAGE.</summary>
    Task SendMessageAsync(string to, string from, string body, IReadOnlyDictionary<string, string>? variables = null, CancellationToken ct = default);

    Task HoldAsync(string channelId, CancellationToken ct = default);
    Task UnholdAsync(string channelId, CancellationToken ct = default);
    Task StartMohAsync(string channelId, string? mohClass = null, CancellationToken ct = default);
    Task StopMohAsync(string channelId, CancellationToken ct = default);

    /// <summary>Leave Stasis and go back to the dialplan (at the given place, or the next priority).</summary>
    Task ContinueAsync(string channelId, string? context = null, string? extension = null, int? priority = null, string? label = null, CancellationToken ct = default);

    /// <summary>Returns null when the variable is not set (Asterisk: 404 "Provided variable was not found").</summary>
    Task<string?> GetVariableAsync(string channelId, string variable, CancellationToken ct = default);
    Task SetVariableAsync(string channelId, string variable, string? value, CancellationToken ct = default);

    Task<AriPlayback> PlayAsync(string channelId, string media, string? playbackId = null, string? lang = null, CancellationToken ct = default);
    Task<AriPlayback> GetPlaybackAsync(string playbackId, CancellationToken ct = default);
    Task StopPlaybackAsync(string playbackId, CancellationToken ct = default);

    /// <summary>POST /channels/{id}/snoop; spy and whisper are none, both, out or in.</summary>
    Task<AriChannel> SnoopAsync(string channelId, string app, string? spy = null, string? whisper = null,
        IReadOnlyList<string>? appArgs = null, string? snoopId = null, CancellationToken ct = default);

    /// <summary>POST /channels/{id}/record; ifExists is fail, overwrite or append.</summary>
    Task<AriLiveRecording> RecordAsync(string channelId, string name, string format, int? maxDurationSeconds = null,
        string? ifExists = null, CancellationToken ct = default);

    /// <summary>POST /bridges; type is e.g. "mixing" or "holding". Choose <paramref name="bridgeId"/> so a retry is idempotent.</summary>
    Task<AriBridge> CreateBridgeAsync(string? bridgeId = null, string? type = null, string? name = null, CancellationToken ct = default);
    Task<AriBridge> GetBridgeAsync(string bridgeId, CancellationToken ct = default);
    Task<IReadOnlyList<AriBridge>> ListBridgesAsync(CancellationToken ct = default);
    Task AddChannelAsync(string bridgeId, IReadOnlyList<string> channelIds, CancellationToken ct = default);

    /// <summary>addChannel with a bridge role, e.g. "announcer" or "participant" in a holding bridge. A channel already
    /// in another bridge is moved (no removeChannel needed).</summary>
    Task AddChannelAsync(string bridgeId, IReadOnlyList<string> channelIds, string role, CancellationToken ct = default);
    Task RemoveChannelAsync(string bridgeId, IReadOnlyList<string> channelIds, CancellationToken ct = default);
    Task DestroyBridgeAsync(string bridgeId, CancellationToken ct = default);

    /// <summary><c>POST /bridges/{bridgeId}/videoSource/{channelId}</c>: the channel becomes the bridge's single video source
    /// (204; 404 bridge, 400 channel not found, 422 not in Stasis or not in this bridge).</summary>
    Task SetBridgeVideoSourceAsync(string bridgeId, string channelId, CancellationToken ct = default);
    Task StartBridgeMohAsync(string bridgeId, string? mohClass = null, CancellationToken ct = default);
    Task StopBridgeMohAsync(string bridgeId, CancellationToken ct = default);

    /// <summary>What the app holds (channel_ids, bridge_ids): the starting point of a reconcile after a reconnect.
    /// 404 (AriException.IsNotFound) means Asterisk destroyed the app because it held nothing while disconnected.</summary>
    Task<AriApplication> GetApplicationAsync(string application, CancellationToken ct = default);
    Task<IReadOnlyList<AriApplication>> ListApplicationsAsync(CancellationToken ct = default);

    /// <summary>POST /applications/{app}/subscription?eventSource=... (see <see cref="AriEventSource"/>); returns the app.
    /// Subscriptions outlive the websocket and an endpoint subscribed twice needs two unsubscribes. 422 (unknown source)
    /// stops at that source, leaving the earlier ones subscribed.</summary>
    Task<AriApplication> SubscribeAsync(string application, IReadOnlyList<string> eventSources, CancellationToken ct = default);

    /// <summary>DELETE /applications/{app}/subscription; 422 "Event source was not subscribed to".</summary>
    Task<AriApplication> UnsubscribeAsync(string application, IReadOnlyList<string> eventSources, CancellationToken ct = default);

    /// <summary>GET /endpoints, or /endpoints/{technology}: every endpoint with its state and channel_ids (at start and after a reconnect).</summary>
    Task<IReadOnlyList<AriEndpoint>> ListEndpointsAsync(string? technology = null, CancellationToken ct = default);

    /// <summary>GET /endpoints/{technology}/{resource}; 404 "Endpoint not found".</summary>
    Task<AriEndpoint> GetEndpointAsync(string technology, string resource, CancellationToken ct = default);

    /// <summary>POST /events/user/{eventName}?application=: Asterisk publishes a ChannelUserevent to the app's own
    /// topic, so it arrives on the app's websocket after every event the app was sent before the request.</summary>
    Task SendUserEventAsync(string application, string eventName, CancellationToken ct = default);

    /// <summary>POST /asterisk/variable?variable=&amp;value=: sets a global dialplan variable (resource_asterisk.c
    /// ast_ari_asterisk_set_global_var, 204). The dialplan reads it as <c>${GLOBAL(name)}</c>.</summary>
    Task SetGlobalVariableAsync(string variable, string? value, CancellationToken ct = default);

    /// <summary>PUT /applications/{app}/eventFilter: Asterisk stops sending the app the event types in
    /// <paramref name="disallowed"/> (and, when <paramref name="allowed"/> is not empty, every type not in it).
    /// A null list is left as it is on Asterisk; an empty list clears it. Disallowed wins over allowed.</summary>
    Task<AriApplication> SetEventFilterAsync(string application, IReadOnlyCollection<string>? allowed,
        IReadOnlyCollection<string>? disallowed, CancellationToken ct = default);
}
