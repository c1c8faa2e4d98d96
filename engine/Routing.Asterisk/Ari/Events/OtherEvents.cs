namespace Routing.Asterisk.Ari;

// Playback, recording, bridge, application and device events (events.json).

public sealed record PlaybackStarted(AriPlayback Playback) : AriEvent;

public sealed record PlaybackContinuing(AriPlayback Playback) : AriEvent;

/// <summary>State is "done" or "failed" (e.g. a missing sound file). An unknown media scheme never finishes.</summary>
public sealed record PlaybackFinished(AriPlayback Playback) : AriEvent;

public sealed record RecordingStarted(AriLiveRecording Recording) : AriEvent;

public sealed record RecordingFinished(AriLiveRecording Recording) : AriEvent;

public sealed record RecordingFailed(AriLiveRecording Recording) : AriEvent;

public sealed record BridgeCreated(AriBridge Bridge) : AriEvent;

public sealed record BridgeDestroyed(AriBridge Bridge) : AriEvent;

public sealed record BridgeMerged(AriBridge Bridge, AriBridge BridgeFrom) : AriEvent;

/// <summary>Another websocket took over our application name: this connection gets no more events.</summary>
public sealed record ApplicationReplaced : AriEvent;

public sealed record ApplicationRegistered : AriEvent;

public sealed record ApplicationUnregistered : AriEvent;

/// <summary>To apps subscribed to the device (deviceState:PJSIP/x) or subscribeAll.</summary>
public sealed record DeviceStateChanged(AriDeviceState DeviceState) : AriEvent;

// Endpoint events: to an app subscribed to the endpoint (endpoint:PJSIP/x). A subscribeAll app gets Peer/Contact
// status but no EndpointStateChange (turn2/ari-agents-registration-subscribeAll).

/// <summary>Online/offline, or its channel_ids changed (a channel was created on it or left it).</summary>
public sealed record EndpointStateChange(AriEndpoint Endpoint) : AriEvent;

public sealed record PeerStatusChange(AriEndpoint Endpoint, AriPeer Peer) : AriEvent;

public sealed record ContactStatusChange(AriEndpoint Endpoint, AriContactInfo ContactInfo) : AriEvent;

/// <summary>An out-of-dialog SIP MESSAGE from an endpoint the app subscribed to (<c>endpoint:PJSIP/x</c>); nothing
/// arrives for endpoints the app did not subscribe to, and the dialplan's <c>message_context</c> runs as well
/// (turn2/ari-sip-message). <see cref="AriTextMessage.Variables"/> carries every SIP header plus PJSIP_RECVADDR,
/// PJSIP_TRANSPORT and PJSIP_ENDPOINT (the caller-ID name, not the endpoint id).</summary>
public sealed record TextMessageReceived(AriTextMessage Message, AriEndpoint? Endpoint = null) : AriEvent;
