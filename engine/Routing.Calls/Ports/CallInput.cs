namespace Routing.Calls.Ports;

/// <summary>
/// Everything that can happen to a call from outside, already translated from ARI by the engine.
/// Inputs go into the call's own mailbox and are handled one at a time, in order.
/// Channel ids identify which leg an input is about: the caller's channel or an agency leg.
/// </summary>
public abstract record CallInput
{
    private CallInput() { }

    /// <summary>The caller pressed a key (ChannelDtmfReceived on the caller channel).</summary>
    public sealed record CallerDtmf(char Digit) : CallInput;

    /// <summary>PlaybackFinished (state done or failed) for a playback id the call chose.</summary>
    public sealed record PlaybackFinished(string PlaybackId, bool Failed) : CallInput;

    /// <summary>The caller's side is gone: ChannelHangupRequest, StasisEnd or ChannelDestroyed
    /// of the caller channel. Duplicates are expected and ignored on purpose.</summary>
    public sealed record CallerHungUp(int? Cause) : CallInput;

    /// <summary>Dial RINGING / ChannelStateChange Ringing for an agency leg.</summary>
    public sealed record LegRinging(string LegChannelId) : CallInput;

    /// <summary>The agency answered: StasisStart of the originated leg (Dial ANSWER precedes it).</summary>
    public sealed record LegAnswered(string LegChannelId) : CallInput;

    /// <summary>An agency leg ended or never came up: ChannelDestroyed (cause 17 busy, 19 no answer,
    /// 16 normal after answer, ...), or the originate request itself failed.</summary>
    public sealed record LegEnded(string LegChannelId, int Cause, string CauseText) : CallInput;

    /// <summary>The engine lost and regained ARI; the call re-reads its channels' truth. The engine
    /// posts CallerHungUp / LegEnded for channels that disappeared while it was away.</summary>
    public sealed record Reconciled : CallInput;

    /// <summary>The engine is shutting down. A caller still waiting (menu, queue, dialing) is handed
    /// to the dialplan fallback now, so nobody is left in Stasis with no one driving the call; a
    /// caller already bridged with an agency stays bridged (Asterisk keeps the bridge without us).</summary>
    public sealed record EngineStopping : CallInput;

    /// <summary>The centre gave the call to a call-taker whose device answered: <paramref name="ChannelId"/> is
    /// that device's leg (already mapped to this call), <paramref name="Waited"/> the answer time.</summary>
    public sealed record CallTakerAssigned(string Position, string User, string ChannelId, string LegId, TimeSpan Waited) : CallInput;

    /// <summary>The centre's periodic announcement: the caller is <paramref name="Place"/> in line (1 = next).</summary>
    public sealed record QueuePositionAnnounced(int Place) : CallInput;

    /// <summary>The centre gave the call up (every group of its overflow chain waited its maximum, or nobody is
    /// staffed): the dialplan fallback takes the caller, as it does for agencies.</summary>
    public sealed record CentreGaveUp(string Reason) : CallInput;

    /// <summary>A call-taker's action from the operator API. The call answers on <paramref name="Reply"/>: null
    /// when accepted (recorded and under way), else why not; a refused action changes nothing.</summary>
    public sealed record OperatorRequest(CallTakerAction Action, string Position, string User, TaskCompletionSource<Centre.Refusal?> Reply) : CallInput;

    /// <summary>Where the caller is, as a source reported it (AML, the SBC's PIDF-LO, a by-reference fetch), already
    /// read and checked. <paramref name="RoutingAllowed"/> is false when the sender said <c>Geolocation-Routing: no</c>.
    /// The call records it before using it; it chooses the region only until the call is put through.</summary>
    public sealed record LocationReported(Location.CallLocation Location, bool RoutingAllowed = true) : CallInput;

    /// <summary>A location could not be read (malformed, too large, refused): recorded on the call, which goes on
    /// routed by its number.</summary>
    public sealed record LocationRejected(Location.LocationSource Source, string Reason) : CallInput;

    /// <summary>Something about the caller's location worth the record that is neither a location nor a refusal
    /// (a by-value PIDF-LO announced in the INVITE, waiting for the SBC's hand-over).</summary>
    public sealed record LocationNote(string Note) : CallInput;

    /// <summary>One of the call's own timers fired. Posted only by the call itself (hence internal):
    /// <paramref name="Generation"/> lets the call ignore a timer that was re-armed or cancelled
    /// after it had already fired.</summary>
    internal sealed record TimerElapsed(CallTimer Timer, long Generation) : CallInput;
}
