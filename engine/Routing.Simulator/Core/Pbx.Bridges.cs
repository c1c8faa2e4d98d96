using Routing.Simulator.Ami;
using Routing.Simulator.Ari;
using Routing.Simulator.Model;

namespace Routing.Simulator.Core;

/// <summary>ARI bridges: create, add/remove channels, destroy; and when a caller counts as connected to an agency.</summary>
internal sealed partial class Pbx
{
    /// <summary>
    /// <c>POST /bridges?type=</c> as res_stasis.c bridge_create_common reads it: a comma-separated list, each attribute
    /// stripped and compared case-sensitively; mixing and holding give the capabilities, video_single / video_sfu the video
    /// mode (talker by default), dtmf_events / proxy_media / sdp_label change nothing here, and anything else is skipped.
    /// No capability (e.g. <c>video_single</c> alone, or <c>no-such-type</c>) or holding with mixing: no bridge, 500.
    /// <c>bridge_type</c> then reports the capability, "holding" or "mixing" (stasis_bridges.c capability2str).
    /// </summary>
    public AriResponse CreateBridge(string? type, string? bridgeId, string? name)
    {
        var (mixing, holding, video) = (string.IsNullOrEmpty(type), false, "talker");
        foreach (var attribute in (type ?? "").Split(',').Select(t => t.Trim()))
        {
            switch (attribute)
            {
                case "mixing": mixing = true; break;
                case "holding": holding = true; break;
                case "video_sfu": video = "sfu"; break;
                case "video_single": video = "single"; break;
            }
        }
        if (mixing == holding)
            return AriResponse.Error(500, $"Unable to create bridge. Possible duplicate bridge id '{(string.IsNullOrEmpty(bridgeId) ? "(null)" : bridgeId)}'");
        lock (_gate)
        {
            string id = string.IsNullOrEmpty(bridgeId) ? Guid.NewGuid().ToString() : bridgeId;
            if (_bridges.ContainsKey(id)) return AriResponse.Error(409, $"Bridge with id '{id}' already exists");
            var bridge = new SimBridge { Id = id, BridgeType = holding ? "holding" : "mixing", VideoMode = video, Name = name ?? "", Created = Now };
            bridge.Settle();
            _bridges[id] = bridge;
            Ami(AmiFrames.Bridge("BridgeCreate", bridge, null));
            return AriResponse.Ok(AriJson.Write(w => AriJson.Bridge(w, bridge)));
        }
    }

    public AriResponse ListBridges()
    {
        lock (_gate)
            return AriResponse.Ok(AriJson.Write(w =>
            {
                w.WriteStartArray();
                foreach (var b in _bridges.Values) AriJson.Bridge(w, b);
                w.WriteEndArray();
            }));
    }

    public AriResponse GetBridge(string id)
    {
        lock (_gate)
            return _bridges.TryGetValue(id, out var b) ? AriResponse.Ok(AriJson.Write(w => AriJson.Bridge(w, b))) : AriResponse.BridgeNotFound;
    }

    public AriResponse DestroyBridge(string id)
    {
        lock (_gate)
        {
            if (!_bridges.TryGetValue(id, out var bridge)) return AriResponse.BridgeNotFound;
            foreach (var c in bridge.Channels.ToArray()) LeaveBridge(c, alive: false);
            Ari(AriEvents.BridgeDestroyed(Now, bridge), bridge: bridge);
            Ami(AmiFrames.Bridge("BridgeDestroy", bridge, null));
            _bridges.Remove(id);
            UnsubscribeAll(bridge);
            return AriResponse.NoContent;
        }
    }

    /// <summary>addChannel?channel=a,b — 404 bridge, 400 missing/gone channel, 422 channel not in Stasis (ari-errors.jsonl).</summary>
    /// <param name="role">Kept as the channel's bridge role (Asterisk accepts any; a holding bridge treats "announcer"
    /// specially and everyone else as a participant). It is not part of any ARI JSON.</param>
    public AriResponse AddChannels(string bridgeId, string? channelList, string? role = null)
    {
        lock (_gate)
        {
            if (!_bridges.TryGetValue(bridgeId, out var bridge)) return AriResponse.BridgeNotFound;
            if (!TryResolve(channelList, out var channels, out var error)) return error!;
            foreach (var c in channels)
            {
                if (c.Bridge == bridge) continue;
                // A channel still in another bridge is moved (turn2/ari-holding-bridge-moh: ChannelLeftBridge, then ChannelEnteredBridge).
                LeaveBridge(c, alive: true);
                bridge.Channels.Add(c);
                c.Bridge = bridge;
                c.BridgeRole = string.IsNullOrEmpty(role) ? null : role;
                Subscribe(c.StasisApp!, bridge);
                Ami(AmiFrames.Bridge("BridgeEnter", bridge, c));
                Ari(AriEvents.ChannelEnteredBridge(Now, bridge, c), c, bridge);
                if (bridge.MusicOnHold && c.BridgeRole != "announcer" && c.Call is { } call) call.HeardMusicOnHold = true;
            }
            SetBridgePeers(bridge);
            SetBridgePeers(bridge);
            // A two-party bridge sets the peer variables three times (trace); the third round falls between the two
            // connected-line updates when there are two.
            if (!UpdateConnectedLines(bridge, channels)) SetBridgePeers(bridge);
            bridge.Settle();
            NoteConnections(bridge);
            return AriResponse.NoContent;
        }
    }

    public AriResponse RemoveChannels(string bridgeId, string? channelList)
    {
        lock (_gate)
        {
            if (!_bridges.TryGetValue(bridgeId, out var bridge)) return AriResponse.BridgeNotFound;
            if (!TryResolve(channelList, out var channels, out var error)) return error!;
            if (channels.Any(c => c.Bridge != bridge)) return AriResponse.Error(422, "Channel not in this bridge");
            foreach (var c in channels) LeaveBridge(c, alive: true);
            UpdateConnectedLines(bridge, []);
            return AriResponse.NoContent;
        }
    }

    /// <summary>
    /// <c>POST /bridges/{id}/videoSource/{channelId}</c> (resource_bridges.c): 404 bridge, 400 channel not found, 422 not in
    /// Stasis, 422 "Channel not in this bridge"; else 204 and the bridge is in single-source mode with that channel as its
    /// source, whatever mode it was created with (ast_bridge_set_single_src_video_mode).
    /// </summary>
    public AriResponse SetVideoSource(string bridgeId, string channelId)
    {
        lock (_gate)
        {
            if (!_bridges.TryGetValue(bridgeId, out var bridge)) return AriResponse.BridgeNotFound;
            if (!TryResolve(channelId, out var channels, out var error)) return error!;
            if (channels[0].Bridge != bridge) return AriResponse.Error(422, "Channel not in this bridge");
            bridge.VideoMode = "single";
            bridge.VideoSourceId = channels[0].Id;
            return AriResponse.NoContent;
        }
    }

    /// <summary><c>DELETE /bridges/{id}/videoSource</c>: back to talker detection (404 bridge).</summary>
    public AriResponse ClearVideoSource(string bridgeId)
    {
        lock (_gate)
        {
            if (!_bridges.TryGetValue(bridgeId, out var bridge)) return AriResponse.BridgeNotFound;
            bridge.VideoMode = "talker";
            bridge.VideoSourceId = null;
            return AriResponse.NoContent;
        }
    }

    public AriResponse BridgeMusicOnHold(string bridgeId, bool start)
    {
        lock (_gate)
        {
            if (!_bridges.TryGetValue(bridgeId, out var bridge)) return AriResponse.BridgeNotFound;
            bridge.MusicOnHold = start;
            foreach (var c in bridge.Channels)
                if (c.Call is { } call)
                {
                    if (start) call.HeardMusicOnHold = true;
                    call.Note(Now, start ? "music on hold started (bridge)" : "music on hold stopped (bridge)");
                }
            return AriResponse.NoContent;
        }
    }

    private bool TryResolve(string? channelList, out List<SimChannel> channels, out AriResponse? error)
    {
        channels = new List<SimChannel>();
        error = null;
        if (string.IsNullOrEmpty(channelList))
        {
            error = AriResponse.Error(400, "Missing parameter channel");
            return false;
        }
        foreach (var id in channelList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!_channels.TryGetValue(id, out var c)) { error = AriResponse.Error(400, "Channel not found"); return false; }
            if (!c.InStasis) { error = AriResponse.Error(422, "Channel not in Stasis application"); return false; }
            if (!channels.Contains(c)) channels.Add(c);
        }
        return true;
    }

    /// <param name="alive">true when the channel leaves but lives on (removeChannel, moved): its app's interest in the
    /// bridge goes; false when it hangs up or the bridge is destroyed: the app keeps watching until BridgeDestroyed.</param>
    private void LeaveBridge(SimChannel channel, bool alive)
    {
        if (channel.Bridge is not { } bridge) return;
        ClearBridgePeer(channel);
        channel.Bridge = null;
        bridge.Channels.Remove(channel);
        // bridge_channel.c: a leaving channel stops being the video source (ast_bridge_remove_video_src).
        if (bridge.VideoSourceId == channel.Id) bridge.VideoSourceId = null;
        // The event shows the technology before the bridge re-evaluates it (native_rtp for the first leaver, trace).
        Ari(AriEvents.ChannelLeftBridge(Now, bridge, channel), channel, bridge);
        Ami(AmiFrames.Bridge("BridgeLeave", bridge, channel));
        bridge.Settle();
        if (alive && channel.StasisApp is { } app) DropInterest(app, bridge);
    }

    /// <summary>
    /// Whenever a mixing bridge is down to (or up to) two parties, each learns the other's caller id as its connected line
    /// (ChannelConnectedLine, newest first; only on a change). With three parties nobody is updated: turn2/ari-warm-transfer.
    /// </summary>
    /// <returns>True when the bridge's peer variables were set again between two updates.</returns>
    private bool UpdateConnectedLines(SimBridge bridge, List<SimChannel> added)
    {
        if (bridge.Channels.Count != 2 || !bridge.BridgeType.Contains("mixing")) return false;
        var ordered = bridge.Channels.OrderByDescending(added.Contains).ThenByDescending(bridge.Channels.IndexOf).ToArray();
        var updated = 0;
        foreach (var c in ordered)
        {
            var other = bridge.Channels.First(x => x != c);
            if (c.Connected == other.Caller) continue;
            // The first update re-evaluates the bridge before the second is sent: one more round of BRIDGEPEER (trace).
            if (updated++ > 0) SetBridgePeers(bridge);
            c.Connected = other.Caller;
            Ari(AriEvents.ChannelConnectedLine(Now, c), c);
        }
        return updated > 1;
    }

    /// <summary>
    /// A caller and an answered agency leg in one mixing bridge: the call is connected (BridgedWith). A call-taker's phone
    /// in the bridge is noted separately (CallTakers), so a warm transfer ends "bridged with police", not with the call-taker.
    /// </summary>
    private void NoteConnections(SimBridge bridge)
    {
        if (!bridge.BridgeType.Contains("mixing")) return;
        foreach (var c in bridge.Channels)
        {
            if (c.Call is not { } call) continue;
            foreach (var phone in bridge.Channels.Where(x => x.Leg is { Answered: true } && _devices.ContainsKey(x.Resource)))
                if (call.AddCallTaker(phone.Resource)) call.Note(Now, $"talking with call-taker {phone.Resource}");
            var agency = bridge.Channels.LastOrDefault(x => x.Leg is { Answered: true } && !_devices.ContainsKey(x.Resource));
            if (agency is null || call.BridgedWith == agency.Resource) continue;
            PutThrough(c, call, agency.Resource, $"bridged with {agency.Resource}");
        }
    }

    /// <summary>The caller talks with an agency: the first time, a scripted talk time starts.</summary>
    private void PutThrough(SimChannel caller, SimulatedCall call, string resource, string note)
    {
        var first = call.BridgedWith is null;
        call.BridgedWith = resource;
        call.Note(Now, note);
        if (first && call.Script.TalkFor is { } talk) Schedule(caller, talk, c => CallerHangsUp(c));
    }
}
