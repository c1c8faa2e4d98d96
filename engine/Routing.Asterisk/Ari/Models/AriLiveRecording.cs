namespace Routing.Asterisk.Ari;

/// <summary>A recording in progress (recordings.json model LiveRecording).</summary>
public sealed record AriLiveRecording(
    string Name,
    string Format,
    string TargetUri,
    string State,
    int? Duration = null,
    int? TalkingDuration = null,
    int? SilenceDuration = null,
    string? Cause = null);
