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

public sealed record DeviceStateChanged(AriDeviceState DeviceState) : AriEvent;
