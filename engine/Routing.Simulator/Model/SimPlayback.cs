namespace Routing.Simulator.Model;

/// <summary>A playback on a channel; state strings are ARI's (queued, playing, done, failed).</summary>
internal sealed class SimPlayback
{
    public required string Id { get; init; }
    public required string MediaUri { get; init; }
    public required string Language { get; init; }
    public required SimChannel Channel { get; init; }
    public string TargetUri => "channel:" + Channel.Id;
    public string State { get; set; } = "queued";
    /// <summary>Stopped while still queued: when its turn comes it finishes "done" without playing (Asterisk's CANCELED).</summary>
    public bool Cancelled { get; set; }
    public IDisposable? FinishTimer { get; set; }
}
