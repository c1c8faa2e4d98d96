using System.Text.RegularExpressions;

namespace Routing.Calls.Centre;

/// <summary>Calls joining and leaving the queue, overflow and the hand-over to the dialplan fallback.</summary>
public sealed partial class CallCentre
{
    private static readonly EntryOptions DefaultEntry = new();

    private Refusal? DoEnqueue(QueueRequest request, List<CentreDecision> decisions)
    {
        if (request is null || string.IsNullOrWhiteSpace(request.CallId))
            return new Refusal(RefusalKind.Invalid, "a queued call needs a call id");
        if (_queued.ContainsKey(request.CallId) || _onPosition.ContainsKey(request.CallId))
            return new Refusal(RefusalKind.Invalid, $"call {Shown(request.CallId)} is already in the centre");
        if (request.Entry == CallEntry.Direct)
            return new Refusal(RefusalKind.Invalid, $"call {Shown(request.CallId)} came in on a direct number (101–104), which goes straight to its agency");

        var entry = Options.Entries.TryGetValue(request.Entry, out var configured) && configured is not null ? configured : DefaultEntry;
        var priority = request.LifeInDanger ? CallPriority.Critical : entry.Priority;
        var home = !string.IsNullOrEmpty(entry.Group) ? _groups[entry.Group]
            : request.Region is not null && _groupOfRegion.TryGetValue(request.Region, out var regional) ? regional
            : _defaultGroup;
        // A language the centre cannot read is dropped rather than refused: the caller is never refused.
        var language = request.Language is { } l && LanguagePattern().IsMatch(l) ? l.ToLowerInvariant() : null;
        var now = Now;
        Admit(NewStay(request.CallId, priority, language, home, now, now), decisions);
        return null;
    }

    private Refusal? DoRequeue(string callTakerId, string callId, List<CentreDecision> decisions)
    {
        if (!TryCallOnPosition(callTakerId, callId, "requeue", out var p, out var call, out var refusal)) return refusal;
        Requeue(p, call, decisions);
        return null;
    }

    private void Requeue(Position p, QueuedCall call, List<CentreDecision> decisions)
    {
        _onPosition.Remove(call.Id);
        EndWork(p, "requeued", call.Id, decisions);
        Admit(NewStay(call.Id, CallPriority.Requeued, call.Language, call.Home, call.FirstQueuedAt, Now), decisions);
    }

    private Refusal? DoCallTakerDeviceLeft(string callTakerId, string callId, TimeSpan? withCaller, List<CentreDecision> decisions)
    {
        if (!TryCallOnPosition(callTakerId, callId, "a device leaving its call", out var p, out var call, out var refusal)) return refusal;
        if (withCaller is { } talked && talked >= Options.DeviceFailedWithin)
        {
            Requeue(p, call, decisions);
            return null;
        }

        // Nobody talked: offering the call to this phone again would only repeat the failure, at once and for
        // ever. The position is paused (a person must look at the phone) and the caller loses nothing.
        _onPosition.Remove(call.Id);
        p.Call = null;
        Move(p, CallTakerState.Paused, DeviceFailed, call.Id, decisions);
        decisions.Add(new CallReturnedToQueue(call.Id, p.Id, DeviceFailed));
        Return(call, decisions);
        MoveOnUnstaffed(p.Group, decisions);
        return null;
    }

    /// <summary>Pause reason of a position whose phone failed as a call was put through to it.</summary>
    public const string DeviceFailed = "device failed";

    private bool TryCallOnPosition(string callTakerId, string callId, string action, out Position position, out QueuedCall call, out Refusal? refusal)
    {
        call = null!;
        if (!TryPosition(callTakerId, out position, out refusal)) return false;
        if (position.State != CallTakerState.OnCall)
        {
            refusal = NotAllowed(position, action, CallTakerState.OnCall);
            return false;
        }
        if (position.Call is not { } onCall || !string.Equals(onCall.Id, callId, StringComparison.Ordinal))
        {
            refusal = new Refusal(RefusalKind.NotYours, $"{position.Id} is on call {position.Call?.Id}, not on call {Shown(callId)}");
            return false;
        }
        call = onCall;
        return true;
    }

    /// <summary>The call waits again as if it had never left: same class, key and arrival order (its place), the
    /// groups it had reached, the max wait of its latest group still counted from reaching it. Nobody staffed in
    /// any of its groups: it moves on at once, as a newcomer would.</summary>
    private void Return(QueuedCall left, List<CentreDecision> decisions)
    {
        var call = new QueuedCall(left.Id, left.Priority, left.Language, left.Home, left.FirstQueuedAt, left.QueuedAt, left.Key, left.Sequence)
        {
            ReachedLatestAt = left.ReachedLatestAt,
        };
        _queued[call.Id] = call;
        foreach (var g in left.Groups)
        {
            call.Groups.Add(g);
            g.Waiting.Add(call);
        }
        var now = Now;
        _timers.Arm(new CentreTimer(TimerKind.Announce, now + Options.AnnounceInterval, Call: call));
        if (call.Language is not null && call.QueuedAt + Options.LanguageWait > now)
            _timers.Arm(new CentreTimer(TimerKind.LanguageWait, call.QueuedAt + Options.LanguageWait, Call: call));
        if (!call.Groups.Exists(g => g.Staffed))
        {
            MoveOn(call, "no-one-staffed", decisions);
            return;
        }
        _timers.Arm(new CentreTimer(TimerKind.MaxWait, call.ReachedLatestAt + call.Latest.MaxWait, Call: call, GroupCount: call.Groups.Count));
    }

    private Refusal? DoCallEnded(string callId, List<CentreDecision> decisions)
    {
        if (callId is not null && _queued.TryGetValue(callId, out var call))
        {
            WithdrawAll(call, "caller-gone", decisions);
            Remove(call);
            decisions.Add(new CallLeftQueue(call.Id, "abandoned", Now - call.FirstQueuedAt));
            return null;
        }
        if (callId is not null && _onPosition.Remove(callId, out var p))
        {
            EndWork(p, "call ended", callId, decisions);
            return null;
        }
        return new Refusal(RefusalKind.Stale, $"call {Shown(callId)} is not in the centre");
    }

    private Refusal? DoCallTakerLeft(string callTakerId, List<CentreDecision> decisions)
    {
        if (!TryPosition(callTakerId, out var p, out var refusal)) return refusal;
        if (p.State != CallTakerState.OnCall || p.Call is null) return NotAllowed(p, "leaving a call", CallTakerState.OnCall);
        _onPosition.Remove(p.Call.Id);
        EndWork(p, "left call", p.Call.Id, decisions);
        return null;
    }

    private QueuedCall NewStay(string id, CallPriority priority, string? language, CentreGroup home, DateTimeOffset first, DateTimeOffset now)
    {
        var key = now.UtcTicks - HeadStart(priority).Ticks;
        return new QueuedCall(id, priority, language, home, first, now, key, ++_sequence);
    }

    private TimeSpan HeadStart(CallPriority priority) => priority switch
    {
        CallPriority.Critical => Options.Queue.CriticalHeadStart,
        CallPriority.Emergency => Options.Queue.EmergencyHeadStart,
        _ => Options.Queue.RequeuedHeadStart,
    };

    /// <summary>A new stay in the queue: its home group, its timers, and overflow at once if nobody there can answer.</summary>
    private void Admit(QueuedCall call, List<CentreDecision> decisions)
    {
        _queued[call.Id] = call;
        var now = Now;
        _timers.Arm(new CentreTimer(TimerKind.Announce, now + Options.AnnounceInterval, Call: call));
        if (call.Language is not null && Options.LanguageWait > TimeSpan.Zero)
            _timers.Arm(new CentreTimer(TimerKind.LanguageWait, call.QueuedAt + Options.LanguageWait, Call: call));
        Reach(call, call.Home, decisions);
    }

    /// <summary>The call reaches one more group (it stays eligible for those it had). If none of its groups
    /// has anyone staffed it moves on at once, like app_queue's <c>leavewhenempty</c>: waiting for an empty
    /// group only delays the fallback.</summary>
    private void Reach(QueuedCall call, CentreGroup group, List<CentreDecision> decisions)
    {
        call.Groups.Add(group);
        group.Waiting.Add(call);
        call.ReachedLatestAt = Now;
        if (!call.Groups.Exists(g => g.Staffed))
        {
            MoveOn(call, "no-one-staffed", decisions);
            return;
        }
        _timers.Arm(new CentreTimer(TimerKind.MaxWait, Now + group.MaxWait, Call: call, GroupCount: call.Groups.Count));
    }

    /// <summary>The call's latest group is done with it: overflow to the next group of the chain, or the fallback.</summary>
    private void MoveOn(QueuedCall call, string reason, List<CentreDecision> decisions)
    {
        var next = NextGroup(call);
        if (next is null)
        {
            WithdrawAll(call, "fallback", decisions);
            Remove(call);
            decisions.Add(new HandToFallback(call.Id, reason));
            return;
        }
        decisions.Add(new OverflowCall(call.Id, call.Latest.Key, next.Key, reason));
        Reach(call, next, decisions);
    }

    /// <summary>Next group of the overflow chain the call has not reached yet, or null at the end of the chain.</summary>
    private static CentreGroup? NextGroup(QueuedCall call)
    {
        var next = call.Latest.Overflow;
        while (next is not null && call.Groups.Contains(next)) next = next.Overflow;
        return next;
    }

    /// <summary>After a group lost someone (logout, pause, unreachable): calls left with nobody to answer move on.</summary>
    private void MoveOnUnstaffed(CentreGroup group, List<CentreDecision> decisions)
    {
        if (group.Staffed || group.Waiting.Count == 0) return;
        foreach (var call in group.Waiting.ToList())
        {
            if (call.InQueue && call.Ringing.Count == 0 && !call.Groups.Exists(g => g.Staffed)) MoveOn(call, "no-one-staffed", decisions);
        }
    }

    private void Remove(QueuedCall call)
    {
        call.InQueue = false;
        _queued.Remove(call.Id);
        foreach (var g in call.Groups) g.Waiting.Remove(call);
    }

    /// <summary>Every position ringing for the call stops ringing and is Available again with its idle time kept.</summary>
    private void WithdrawAll(QueuedCall call, string reason, List<CentreDecision> decisions)
    {
        foreach (var p in call.Ringing)
        {
            p.Call = null;
            decisions.Add(new WithdrawOffer(call.Id, p.Id, reason));
            Move(p, CallTakerState.Available, reason, call.Id, decisions);
        }
        call.Ringing.Clear();
    }

    /// <summary>OnCall → WrapUp (or straight to Available when there is no wrap-up time).</summary>
    private void EndWork(Position p, string reason, string callId, List<CentreDecision> decisions)
    {
        if (Options.WrapUp <= TimeSpan.Zero)
        {
            p.Call = null;
            Move(p, CallTakerState.Available, reason, callId, decisions);
            return;
        }
        Move(p, CallTakerState.WrapUp, reason, callId, decisions);
        _timers.Arm(new CentreTimer(TimerKind.WrapUpEnd, Now + Options.WrapUp, Position: p, Version: p.Version));
    }

    [GeneratedRegex("^[A-Za-z]{2,8}$")]
    private static partial Regex LanguagePattern();
}
