namespace Routing.Calls.Centre;

/// <summary>Due times: offer timeouts, wrap-up ends, language waits, max waits and announcements.</summary>
public sealed partial class CallCentre
{
    private Refusal? DoTick(List<CentreDecision> decisions)
    {
        var now = Now;
        while (_timers.TryTakeDue(now, out var timer))
        {
            switch (timer.Kind)
            {
                case TimerKind.OfferTimeout:
                    if (timer.Position is { State: CallTakerState.Offered, Call: { } call } p && p.Version == timer.Version)
                        NotTaken(p, call, "no answer", withdraw: true, decisions);
                    break;
                case TimerKind.WrapUpEnd:
                    if (timer.Position is { State: CallTakerState.WrapUp } w && w.Version == timer.Version)
                    {
                        var callId = w.Call?.Id;
                        w.Call = null;
                        Move(w, CallTakerState.Available, "wrap-up over", callId, decisions);
                    }
                    break;
                case TimerKind.LanguageWait:
                    // Nothing to change: the distribution after this tick now offers the call to anyone.
                    break;
                case TimerKind.MaxWait:
                    if (timer.Call is { InQueue: true } waiting && waiting.Groups.Count == timer.GroupCount) MaxWaitOver(waiting, decisions);
                    break;
                case TimerKind.Announce:
                    if (timer.Call is { InQueue: true } announced)
                    {
                        if (announced.Ringing.Count == 0) decisions.Add(new AnnouncePosition(announced.Id, announced.Latest.PlaceOf(announced), announced.Language));
                        _timers.Arm(timer with { DueAt = now + Options.AnnounceInterval });
                    }
                    break;
            }
        }
        return null;
    }

    /// <summary>Max wait of the latest group is over. A call ringing a position is not pulled away mid-ring
    /// to the fallback: its max wait is looked at again when that offer's time is up.</summary>
    private void MaxWaitOver(QueuedCall call, List<CentreDecision> decisions)
    {
        if (NextGroup(call) is null && call.Ringing.Count > 0)
        {
            _timers.Arm(new CentreTimer(TimerKind.MaxWait, call.AnswerBy, Call: call, GroupCount: call.Groups.Count));
            return;
        }
        MoveOn(call, "max-wait", decisions);
    }
}
