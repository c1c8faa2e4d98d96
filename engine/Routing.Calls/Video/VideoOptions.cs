namespace Routing.Calls.Video;

/// <summary>
/// Which calls carry video (<c>Routing:Video</c>): the police app's and the SOS buttons' calls keep their camera to the
/// call-taker and the agency. A video call's bridge is created with a video mode and, in <see cref="VideoBridgeMode.SingleSource"/>,
/// the caller is set as its video source; an audio call's bridge is a plain mixing bridge. Validated at start
/// (<c>RoutingOptionsValidator</c>); check-config holds pjsip.conf to it (every endpoint such a call can reach allows a
/// video codec).
/// </summary>
public sealed class VideoOptions
{
    /// <summary>Entry names (<see cref="CallEntry"/>: Emergency112, App, Direct, Sos) whose calls are video calls.</summary>
    public List<string> Entries { get; set; } = [];

    public VideoBridgeMode Mode { get; set; } = VideoBridgeMode.SingleSource;

    /// <summary>The bridge video of a call that came in through <paramref name="entry"/>.</summary>
    public BridgeVideo For(CallEntry entry) =>
        Entries.Any(e => string.Equals(e, entry.ToString(), StringComparison.OrdinalIgnoreCase))
            ? Mode == VideoBridgeMode.Sfu ? BridgeVideo.Sfu : BridgeVideo.SingleSource
            : BridgeVideo.None;
}

/// <summary>How a video call's bridge carries video (ARI <c>POST /bridges?type=mixing,video_single|video_sfu</c>). Written
/// by name in appsettings.json, whoever reads it (the configuration binder, or System.Text.Json in tools and tests).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<VideoBridgeMode>))]
public enum VideoBridgeMode
{
    /// <summary><c>video_single</c>: one source, the caller, whom every other party sees whoever speaks (one video stream per
    /// party). The fit for caller → call-taker → agency.</summary>
    SingleSource,

    /// <summary><c>video_sfu</c>: every party's video forwarded to every other (multi-stream clients, <c>max_video_streams</c> &gt; 1).</summary>
    Sfu,
}

/// <summary>The video of one bridge the engine creates.</summary>
public enum BridgeVideo
{
    /// <summary>A plain mixing bridge: audio calls.</summary>
    None,

    SingleSource,

    Sfu,
}
