namespace Routing.Asterisk.Ari;

/// <summary>A playback (playbacks.json model Playback). State is queued, playing, continuing, done or failed.</summary>
public sealed record AriPlayback(
    string Id,
    string MediaUri,
    string TargetUri,
    string State,
    string? Language = null,
    string? NextMediaUri = null);
