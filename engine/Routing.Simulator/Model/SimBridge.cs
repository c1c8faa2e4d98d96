namespace Routing.Simulator.Model;

/// <summary>A bridge; mutated only under the PBX lock.</summary>
internal sealed class SimBridge
{
    public required string Id { get; init; }
    public required string BridgeType { get; init; }
    public required string Name { get; init; }
    public required DateTimeOffset Created { get; init; }
    /// <summary>"stasis" for ARI bridges, "basic" for the dialplan's Dial() bridge.</summary>
    public string BridgeClass { get; init; } = "stasis";
    public string Creator { get; init; } = "Stasis";
    /// <summary>ARI <c>video_mode</c> (main/bridge.c ast_bridge_video_mode_to_string): "talker" for a plain mixing bridge,
    /// "single" for <c>video_single</c> or once a video source is set, "sfu" for <c>video_sfu</c>, "none" for Dial()'s bridge.</summary>
    public string VideoMode { get; set; } = "talker";
    /// <summary>The channel set by <c>POST /bridges/{id}/videoSource/{channelId}</c>; cleared when it leaves the bridge.</summary>
    public string? VideoSourceId { get; set; }
    public List<SimChannel> Channels { get; } = new();
    /// <summary>
    /// Apps watching the bridge, with how many of their channels keep them interested (res/stasis/app.c counts interest).
    /// A channel that leaves alive (removeChannel, or moved by addChannel to another bridge) takes its interest with it;
    /// one that hangs up leaves it behind, so the app still gets BridgeDestroyed (turn2 holding-bridge and warm-transfer traces).
    /// </summary>
    public Dictionary<string, int> SubscribedApps { get; } = new(StringComparer.Ordinal);
    public bool MusicOnHold { get; set; }

    /// <summary>
    /// As in the trace: a mixing bridge reports simple_bridge, and native_rtp once two channels have settled in it;
    /// events report the technology before it is recomputed.
    /// </summary>
    public string Technology { get; private set; } = "simple_bridge";

    public void Settle()
    {
        if (!BridgeType.Split(',').Contains("mixing")) { Technology = BridgeType.Contains("holding") ? "holding_bridge" : "simple_bridge"; return; }
        // Three or more parties need a real mixer (turn2/ari-warm-transfer: "softmix" with caller, call-taker and police).
        Technology = Channels.Count >= 3 ? "softmix" : Channels.Count == 2 ? "native_rtp" : "simple_bridge";
    }
}
