namespace Routing.Calls.Centre;

/// <summary>What a call-taker does at the console: log in or out, pause, resume. Each is checked against
/// the position's state and refused with the states that would allow it.</summary>
public sealed partial class CallCentre
{
    private const int MaxPauseReason = 80;

    private Refusal? DoLogin(string callTakerId, List<CentreDecision> decisions)
    {
        if (!TryPosition(callTakerId, out var p, out var refusal)) return refusal;
        if (p.State != CallTakerState.LoggedOut) return NotAllowed(p, "login", CallTakerState.LoggedOut);
        Move(p, CallTakerState.Available, "login", null, decisions);
        return null;
    }

    private Refusal? DoLogout(string callTakerId, List<CentreDecision> decisions)
    {
        if (!TryPosition(callTakerId, out var p, out var refusal)) return refusal;
        if (p.State is not (CallTakerState.Available or CallTakerState.WrapUp or CallTakerState.Paused))
            return NotAllowed(p, "logout", CallTakerState.Available, CallTakerState.WrapUp, CallTakerState.Paused);
        var callId = p.Call?.Id;
        p.Call = null;
        Move(p, CallTakerState.LoggedOut, "logout", callId, decisions);
        MoveOnUnstaffed(p.Group, decisions);
        return null;
    }

    private Refusal? DoPause(string callTakerId, string reason, List<CentreDecision> decisions)
    {
        if (!TryPosition(callTakerId, out var p, out var refusal)) return refusal;
        if (p.State is not (CallTakerState.Available or CallTakerState.WrapUp))
            return NotAllowed(p, "pause", CallTakerState.Available, CallTakerState.WrapUp);
        var cleaned = Routing.CallerText.CleanText(reason, MaxPauseReason).Trim();
        if (cleaned.Length == 0) return new Refusal(RefusalKind.Invalid, $"{p.Id}: a pause needs a reason");
        var callId = p.Call?.Id;
        p.Call = null;
        Move(p, CallTakerState.Paused, cleaned, callId, decisions);
        MoveOnUnstaffed(p.Group, decisions);
        return null;
    }

    private Refusal? DoResume(string callTakerId, List<CentreDecision> decisions)
    {
        if (!TryPosition(callTakerId, out var p, out var refusal)) return refusal;
        if (p.State is not (CallTakerState.Paused or CallTakerState.WrapUp))
            return NotAllowed(p, "resume", CallTakerState.Paused, CallTakerState.WrapUp);
        var callId = p.Call?.Id;
        p.Call = null;
        Move(p, CallTakerState.Available, p.State == CallTakerState.WrapUp ? "ready" : "resume", callId, decisions);
        return null;
    }
}
