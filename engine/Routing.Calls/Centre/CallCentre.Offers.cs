namespace Routing.Calls.Centre;

/// <summary>Distribution (who is offered which call), and what happens to offers and devices.</summary>
public sealed partial class CallCentre
{
    /// <summary>
    /// Offers every call that can be offered now. Group by group (configuration order), the group's waiting
    /// calls are served in queue order; a call already ringing is skipped, and a call waiting for a speaker of
    /// its language lets the calls behind it go first. Longest-idle offers one position per call; ring-all
    /// rings every suitable idle position of the group for the first call that has any.
    /// </summary>
    private void Distribute(List<CentreDecision> decisions)
    {
        var now = Now;
        foreach (var group in _groupOrder)
        {
            if (group.Idle.Count == 0 || group.Waiting.Count == 0) continue;
            foreach (var call in group.Waiting)
            {
                if (group.Idle.Count == 0) break;
                if (call.Ringing.Count > 0) continue;
                var targets = Select(group, call, now);
                if (targets.Count > 0) Offer(call, targets, now, decisions);
            }
        }
    }

    private List<Position> Select(CentreGroup group, QueuedCall call, DateTimeOffset now)
    {
        var language = LanguageRequired(call, now) ? call.Language : null;
        var chosen = new List<Position>(group.Strategy == DistributionStrategy.RingAll ? group.Idle.Count : 1);
        foreach (var p in group.Idle)
        {
            if (language is not null && !p.Speaks(language)) continue;
            chosen.Add(p);
            if (group.Strategy == DistributionStrategy.LongestIdle) break;
        }
        return chosen;
    }

    /// <summary>Whether only a speaker of the caller's language may be offered the call now: within
    /// <see cref="CentreOptions.LanguageWait"/> of joining, and only while a speaker is staffed in one of its
    /// groups (waiting for a speaker nobody can provide would only delay the caller).</summary>
    private bool LanguageRequired(QueuedCall call, DateTimeOffset now)
    {
        if (call.Language is not { } language || now >= call.QueuedAt + Options.LanguageWait) return false;
        foreach (var g in call.Groups)
        {
            foreach (var p in g.Members)
            {
                if (p.Staffed && p.Speaks(language)) return true;
            }
        }
        return false;
    }

    private void Offer(QueuedCall call, List<Position> targets, DateTimeOffset now, List<CentreDecision> decisions)
    {
        call.AnswerBy = now + Options.OfferTimeout;
        var offered = new OfferTarget[targets.Count];
        for (var i = 0; i < targets.Count; i++)
        {
            var p = targets[i];
            p.Call = call;
            call.Ringing.Add(p);
            Move(p, CallTakerState.Offered, null, call.Id, decisions);
            _timers.Arm(new CentreTimer(TimerKind.OfferTimeout, call.AnswerBy, Position: p, Version: p.Version));
            offered[i] = new OfferTarget(p.Id, p.Endpoint);
        }
        decisions.Add(new OfferCall(call.Id, offered, call.Priority, call.Language, call.AnswerBy));
    }

    private Refusal? DoOfferAnswered(string callId, string callTakerId, List<CentreDecision> decisions)
    {
        if (!TryPosition(callTakerId, out var p, out var refusal)) return refusal;
        if (p.State != CallTakerState.Offered || p.Call is not { } call || !string.Equals(call.Id, callId, StringComparison.Ordinal))
            return new Refusal(RefusalKind.Stale, $"{p.Id} is {p.State}; call {Shown(callId)} is not offered to it (answered too late?)");

        call.Ringing.Remove(p);
        WithdrawAll(call, "answered-elsewhere", decisions);
        Remove(call);
        _onPosition[call.Id] = p;
        Move(p, CallTakerState.OnCall, null, call.Id, decisions);
        decisions.Add(new CallAnswered(call.Id, p.Id, Now - call.FirstQueuedAt));
        return null;
    }

    private Refusal? DoOfferFailed(string callId, string callTakerId, OfferFailure failure, List<CentreDecision> decisions)
    {
        if (!TryPosition(callTakerId, out var p, out var refusal)) return refusal;
        if (p.State != CallTakerState.Offered || p.Call is not { } call || !string.Equals(call.Id, callId, StringComparison.Ordinal))
            return new Refusal(RefusalKind.Stale, $"{p.Id} is {p.State}; call {Shown(callId)} is not offered to it");
        // The engine saw the leg fail, so there is nothing to withdraw.
        NotTaken(p, call, ReasonOf(failure), withdraw: false, decisions);
        return null;
    }

    /// <summary>The position did not take the call: paused with the reason (app_queue <c>autopause</c>); the call keeps its place
    /// and the distribution that follows offers it to the next one at once.</summary>
    private void NotTaken(Position p, QueuedCall call, string reason, bool withdraw, List<CentreDecision> decisions)
    {
        call.Ringing.Remove(p);
        p.Call = null;
        if (withdraw) decisions.Add(new WithdrawOffer(call.Id, p.Id, "no-answer"));
        Move(p, CallTakerState.Paused, reason, call.Id, decisions);
        MoveOnUnstaffed(p.Group, decisions);
    }

    private static string ReasonOf(OfferFailure failure) => failure switch
    {
        OfferFailure.NoAnswer => "no answer",
        OfferFailure.Rejected => "rejected",
        _ => "device error",
    };

    private Refusal? DoReachability(string callTakerId, bool reachable, List<CentreDecision> decisions)
    {
        if (!TryPosition(callTakerId, out var p, out var refusal)) return refusal;
        if (p.Reachable == reachable) return null;
        SetReachable(p, reachable);
        if (reachable) return null;
        if (p.State == CallTakerState.Offered && p.Call is { } call)
        {
            call.Ringing.Remove(p);
            p.Call = null;
            decisions.Add(new WithdrawOffer(call.Id, p.Id, "unreachable"));
            Move(p, CallTakerState.Available, "unreachable", call.Id, decisions);
        }
        MoveOnUnstaffed(p.Group, decisions);
        return null;
    }
}
