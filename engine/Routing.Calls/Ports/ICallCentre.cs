using Routing.Calls.Centre;

namespace Routing.Calls.Ports;

/// <summary>
/// What a <see cref="Call"/> tells the call-taker centre (implemented by the engine's centre service,
/// the one owner of <see cref="CallCentre"/>). Every method only posts to the centre's mailbox: a call
/// never waits on the centre, and the centre answers later through the call's own mailbox
/// (<see cref="CallInput.CallTakerAssigned"/>, <see cref="CallInput.QueuePositionAnnounced"/>,
/// <see cref="CallInput.CentreGaveUp"/>).
/// </summary>
public interface ICallCentre
{
    /// <summary>How calls of this entry reach a call-taker (Centre:Entries; human-first when not listed).</summary>
    EntryMode ModeFor(CallEntry entry);

    /// <summary>The caller now waits (in the call's bridge, music on hold) for a call-taker.</summary>
    void Enqueue(CentreCall call);

    /// <summary>The call-taker handed the call back to the queue: the position goes to WrapUp and the call waits again.</summary>
    void Requeue(string callId, string position);

    /// <summary>The call-taker's phone left an unclassified call while the caller is still there (hung up,
    /// failed, could not be bridged). <paramref name="withCaller"/>: how long it had been in the caller's bridge,
    /// null when it never got there. The centre decides (<see cref="Centre.CallCentre.CallTakerDeviceLeft"/>):
    /// a phone that failed as it was put through is paused and the caller keeps its place; otherwise as a requeue.</summary>
    void CallTakerDeviceLeft(string callId, string position, TimeSpan? withCaller);

    /// <summary>The call-taker left a call that goes on without it (warm transfer completed, blind transfer).</summary>
    void CallTakerLeft(string callId, string position);

    /// <summary>The call ended, or left the centre for the dialplan fallback, wherever it was in the
    /// centre (waiting, ringing a position, or with a call-taker). Harmless for a call the centre never had.</summary>
    void CallEnded(string callId);
}

/// <summary>A call joining the queue, with what the centre needs to ring a position for it.</summary>
/// <param name="CallerNumber">Shown to the call-taker's device as caller id; empty when anonymous.</param>
/// <param name="CallerChannelId">Names the offered legs (<c>dialed,calltaker,{CallerChannelId}</c>), so a leg
/// that answers after its call ended is recognised and released.</param>
/// <param name="Medium">Voice calls ring the position's phone; text sessions are offered to its console.</param>
public sealed record CentreCall(QueueRequest Request, string CallerNumber, string CallerChannelId, CentreMedium Medium = CentreMedium.Voice);

public enum CentreMedium
{
    Voice,

    /// <summary>A text session (<see cref="Text.TextSession"/>): offered in the console, accepted there, never rung.</summary>
    Text,
}
