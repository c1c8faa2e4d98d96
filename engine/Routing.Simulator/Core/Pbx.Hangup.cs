using Routing.Simulator.Ami;
using Routing.Simulator.Ari;
using Routing.Simulator.Model;

namespace Routing.Simulator.Core;

/// <summary>How any channel goes away, in the event order of the traces.</summary>
internal sealed partial class Pbx
{
    /// <summary>DELETE /channels/{id}[?reason=]: ChannelHangupRequest cause 32 soft → ChannelLeftBridge → StasisEnd (→ ChannelDestroyed for originated legs).</summary>
    public AriResponse HangupChannel(string id, string? reason)
    {
        int cause = HangupCauses.NormalClearing;
        if (reason is not null)
        {
            if (HangupCauses.FromAriReason(reason) is not int mapped) return AriResponse.Error(400, "Invalid reason for hangup reason provided");
            cause = mapped;
        }
        lock (_gate)
        {
            if (!_channels.TryGetValue(id, out var channel)) return AriResponse.ChannelNotFound;
            if (channel.HangupRequested) return AriResponse.NoContent;
            channel.HangupRequested = true;
            channel.Call?.Note(Now, "hung up by the app");
            SetRtpQos(channel);
            Ari(AriEvents.ChannelHangupRequest(Now, channel, HangupCauses.AppHangupRequest, soft: true), channel);
            Ami(AmiFrames.SoftHangupRequest(channel, HangupCauses.AppHangupRequest));
            if (channel.Leg is { Answered: false, Dialled: true } leg && leg.App is not null)
            {
                // An originate still ringing is cancelled.
                Ari(AriEvents.Dial(Now, null, channel, "CANCEL", leg.DialString), channel);
                Ami(AmiFrames.Dial("DialEnd", null, channel, leg.DialString, "CANCEL"));
            }
            EndChannel(channel, cause, "app");
            return AriResponse.NoContent;
        }
    }

    /// <summary>
    /// Everything a leaving channel does: playback stops, it leaves its bridge and Stasis, it is destroyed, its call ends,
    /// and the other side of a dialplan Dial() reacts (a caller's leg is hung up; a leg's caller goes on in the dialplan).
    /// </summary>
    private void EndChannel(SimChannel channel, int cause, string hungUpBy, int? techCause = null, string? dialStatus = null)
    {
        if (channel.Gone) return;
        channel.HangupRequested = true;
        StopPlaybacks(channel);
        var bridge = channel.Bridge;
        LeaveBridge(channel, alive: false);
        if (bridge is not null && _bridges.ContainsKey(bridge.Id)) UpdateConnectedLines(bridge, []);
        if (channel.InStasis) LeaveStasis(channel);
        LeaveDialBridge(channel);
        Destroy(channel, cause, techCause);

        if (channel.Call is { } call)
        {
            _callsEnded++;
            call.Complete(Now, new CallEnd(hungUpBy, cause, call.ReachedStasis, call.FallbackEndpoint, call.BridgedWith));
        }

        var peer = channel.DialPeer;
        channel.DialPeer = null;
        if (peer is null || peer.Gone) return;
        peer.DialPeer = null;
        if (channel.Leg is null)
        {
            // The caller went away during the fallback Dial(): the agency leg is cancelled or hung up.
            if (peer.Leg is { Answered: false } ringing)
            {
                Ari(AriEvents.Dial(Now, channel, peer, "CANCEL", ringing.DialString), peer, other: channel);
                Ami(AmiFrames.Dial("DialEnd", channel, peer, ringing.DialString, "CANCEL"));
            }
            EndChannel(peer, HangupCauses.NormalClearing, hungUpBy);
        }
        else
        {
            // The agency leg went away: Dial() returns in the caller's dialplan, which then hangs up.
            string status = dialStatus ?? "ANSWER";
            SetVariable(peer, DialStatus, status, ari: false);
            peer.Call?.Note(Now, channel.Leg.Answered ? $"agency PJSIP/{channel.Resource} hung up" : $"fallback PJSIP/{channel.Resource}: {status}");
            NextPriority(peer, "NoOp", $"Fallback DIALSTATUS={status}");
            HangUpInDialplan(peer, cause, channel.Leg.Answered ? "peer" : "dialplan");
        }
    }

    /// <summary>StasisEnd; a caller's app stops watching it (so no ChannelDestroyed), an originator keeps watching its leg.</summary>
    private void LeaveStasis(SimChannel channel)
    {
        string app = channel.StasisApp!;
        Ari(AriEvents.StasisEnd(Now, channel), channel);
        channel.StasisApp = null;
        if (channel.Leg is null) Unsubscribe(app, channel);
        SetVariable(channel, StasisStatus, "SUCCESS", ari: true);
    }

    private void LeaveDialBridge(SimChannel channel)
    {
        if (channel.DialBridge is not { } bridge) return;
        channel.DialBridge = null;
        bridge.Channels.Remove(channel);
        Ami(AmiFrames.Bridge("BridgeLeave", bridge, channel));
        bridge.Settle();
        if (bridge.Channels.Count == 0) Ami(AmiFrames.Bridge("BridgeDestroy", bridge, null));
    }

    private void Destroy(SimChannel channel, int cause, int? techCause)
    {
        foreach (var timer in channel.Timers.ToArray()) timer.Dispose();
        channel.Timers.Clear();
        if (channel.Leg is { } leg)
        {
            // The trace's ChannelDestroyed for an originated leg shows the dial application again, not Stasis.
            channel.AppName = leg.Created ? "" : leg.App is null ? "AppDial" : "AppDial2";
            channel.AppData = leg.Created ? "" : "(Outgoing Line)";
        }
        Ari(AriEvents.ChannelDestroyed(Now, channel, cause, techCause), channel);
        Ami(AmiFrames.Hangup(channel, cause, techCause));
        channel.Gone = true;
        _channels.Remove(channel.Id);
        if (_endpointChannels.TryGetValue(channel.Resource, out var onEndpoint))
        {
            onEndpoint.Remove(channel);
            if (onEndpoint.Count == 0) _endpointChannels.Remove(channel.Resource);
        }
        EndpointChannelsChanged(channel.Resource);
        DeviceStateMayHaveChanged(channel.Resource);
        UnsubscribeAll(channel);
    }
}
