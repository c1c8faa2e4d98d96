namespace Routing.Calls.Centre;

/// <summary>A call-taker calling a lost caller back: the position is busy with it (OnCall, so it is offered
/// nothing) from the moment its phone is rung until the call back ends, then goes to WrapUp like after any call.</summary>
public sealed partial class CallCentre
{
    /// <summary>Available or WrapUp → OnCall with the call back <paramref name="callbackId"/> (reason
    /// <c>callback</c>); it ends with <see cref="CallEnded"/>. Refused (NotAllowed) in any other state or while
    /// the device is unreachable, and (Invalid) for an id the centre already has.</summary>
    public CentreResult StartCallback(string callTakerId, string callbackId) => Run(d => DoStartCallback(callTakerId, callbackId, d));

    private Refusal? DoStartCallback(string callTakerId, string callbackId, List<CentreDecision> decisions)
    {
        if (!TryPosition(callTakerId, out var p, out var refusal)) return refusal;
        if (string.IsNullOrWhiteSpace(callbackId)) return new Refusal(RefusalKind.Invalid, "a call back needs an id");
        if (_queued.ContainsKey(callbackId) || _onPosition.ContainsKey(callbackId))
            return new Refusal(RefusalKind.Invalid, $"call {Shown(callbackId)} is already in the centre");
        if (p.State is not (CallTakerState.Available or CallTakerState.WrapUp))
            return NotAllowed(p, "callback", CallTakerState.Available, CallTakerState.WrapUp);
        if (!p.Reachable) return new Refusal(RefusalKind.NotAllowed, $"{p.Id}'s phone is not reachable (not registered); a call back rings it first");

        // Not a queued call: it never waited, so it takes no place, no timers and no answer time.
        var now = Now;
        p.Call = new QueuedCall(callbackId, CallPriority.Requeued, null, p.Group, now, now, long.MaxValue, ++_sequence) { InQueue = false };
        _onPosition[callbackId] = p;
        Move(p, CallTakerState.OnCall, "callback", callbackId, decisions);
        return null;
    }
}
