using Routing.Simulator.Ari;
using Routing.Simulator.Model;

namespace Routing.Simulator.Core;

/// <summary>
/// The channel variables a real Asterisk sets by itself on every bridged call, and the ChannelVarset events they raise
/// (ari-call-112-fire.events.jsonl: BRIDGEPEER and BRIDGEPVTCALLID 8 times each, RTPAUDIOQOS* 15 times at hang-up).
/// They carry nothing an app needs; they are simulated so that the flood, and the event filter that stops it, can be
/// counted. ARI only: the AMI VarSet counterparts are not simulated.
/// </summary>
internal sealed partial class Pbx
{
    private const string Zero = "000.000000";

    /// <summary>A two-party mixing bridge sets each side's peer name and SIP Call-ID, once per bridge re-evaluation.</summary>
    private void SetBridgePeers(SimBridge bridge)
    {
        if (bridge.Channels.Count != 2 || !bridge.BridgeType.Contains("mixing")) return;
        // The turn2 call-taker recordings show none of these on ARI with a call-taker's phone in the bridge.
        if (bridge.Channels.Any(c => _devices.ContainsKey(c.Resource))) return;
        // Newest first, as in the trace (the agency leg that just entered, then the caller).
        for (var i = bridge.Channels.Count - 1; i >= 0; i--)
        {
            var c = bridge.Channels[i];
            var peer = bridge.Channels[1 - i];
            SetAsteriskVariable(c, "BRIDGEPEER", peer.Name);
            SetAsteriskVariable(c, "BRIDGEPVTCALLID", peer.ProtocolId);
        }
    }

    /// <summary>A channel leaving a bridge has its peer variables cleared before ChannelLeftBridge.</summary>
    private void ClearBridgePeer(SimChannel channel)
    {
        if (!channel.Variables.ContainsKey("BRIDGEPEER")) return;
        SetAsteriskVariable(channel, "BRIDGEPEER", "");
        SetAsteriskVariable(channel, "BRIDGEPVTCALLID", "");
    }

    /// <summary>An answered channel's RTP statistics, set just before its ChannelHangupRequest; its bridge peer gets the
    /// *BRIDGED copies interleaved (chan_pjsip on hang-up). Simulated only for channels that were in a two-party bridge,
    /// as recorded; a real Asterisk sets them on every answered RTP channel.</summary>
    private void SetRtpQos(SimChannel channel)
    {
        if (channel.State != ChannelState.Up || !channel.Variables.ContainsKey("BRIDGEPEER")) return;
        var peer = channel.Bridge is { } b && b.Channels.Count == 2 ? b.Channels.First(c => c != channel) : null;
        foreach (var (name, value) in RtpQos)
        {
            SetAsteriskVariable(channel, name, value);
            if (peer is not null) SetAsteriskVariable(peer, name + "BRIDGED", value);
        }
    }

    private static readonly (string Name, string Value)[] RtpQos =
    [
        ("RTPAUDIOQOS", "ssrc=0;themssrc=0;lp=0;rxjitter=0.000000;rxcount=0;txjitter=0.000000;txcount=0;rlp=0;rtt=0.000000;rxmes=0.000000;txmes=0.000000"),
        ("RTPAUDIOQOSJITTER", $"minrxjitter={Zero};maxrxjitter={Zero};avgrxjitter={Zero};stdevrxjitter={Zero};mintxjitter={Zero};maxtxjitter={Zero};avgtxjitter={Zero};stdevtxjitter={Zero};"),
        ("RTPAUDIOQOSLOSS", $"  minrxlost={Zero};  maxrxlost={Zero};  avgrxlost={Zero};  stdevrxlost={Zero};  mintxlost={Zero};  maxtxlost={Zero};  avgtxlost={Zero};  stdevtxlost={Zero};"),
        ("RTPAUDIOQOSRTT", $"     minrtt={Zero};     maxrtt={Zero};     avgrtt={Zero};     stdevrtt={Zero};"),
        ("RTPAUDIOQOSMES", $"   minrxmes={Zero};   maxrxmes={Zero};   avgrxmes={Zero};   stdevrxmes={Zero};   mintxmes={Zero};   maxtxmes={Zero};   avgtxmes={Zero};   stdevtxmes={Zero};"),
    ];

    private void SetAsteriskVariable(SimChannel channel, string name, string value)
    {
        channel.Variables[name] = value;
        Ari(AriEvents.ChannelVarset(Now, channel, name, value), channel);
    }
}
