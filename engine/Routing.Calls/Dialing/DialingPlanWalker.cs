using Routing.Calls.Routing;

namespace Routing.Calls;

/// <summary>
/// Walks one call's dialing plan (<see cref="RoutePlanner.PlanFor"/> or <see cref="RoutePlanner.OperatorPlan"/>):
/// which trunk is next, when the call leaves its own region, when the plan is exhausted, and the
/// attempts made with the ids of their legs. No I/O and no timers: the call dials, rings and bounds
/// the wait (each attempt's <see cref="DialAttempt.RingTimeout"/>). Used from the call's loop only.
/// </summary>
public sealed class DialingPlanWalker
{
    private readonly string _callId;
    private readonly string _callerChannelId;
    private readonly Dictionary<string, string> _legIds = new(StringComparer.Ordinal);
    private IReadOnlyList<RouteStep> _plan = [];
    private int _next;
    private bool _leftRegion;

    /// <param name="callId">The call's id; leg ids are <c>{callId}-leg{attempt}</c>.</param>
    /// <param name="callerChannelId">The caller's channel; leg channel ids are <c>{agency}-{callerChannelId}-{attempt}</c>.</param>
    public DialingPlanWalker(string callId, string callerChannelId)
    {
        ArgumentNullException.ThrowIfNull(callId);
        ArgumentNullException.ThrowIfNull(callerChannelId);
        _callId = callId;
        _callerChannelId = callerChannelId;
    }

    /// <summary>Attempts made by this call, over every plan it followed.</summary>
    public int Attempts { get; private set; }

    /// <summary>The plan being walked, in order.</summary>
    public IReadOnlyList<RouteStep> Plan => _plan;

    /// <summary>Starts walking <paramref name="plan"/> from its first step. Attempts keep counting,
    /// so leg ids stay unique within the call.</summary>
    public void Follow(IReadOnlyList<RouteStep> plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        _plan = plan;
        _next = 0;
        _leftRegion = false;
    }

    /// <summary>What to do now: dial the next trunk (recorded as an attempt), tell the caller the
    /// call leaves its region (once, before the first trunk outside it), or give up.</summary>
    public DialingStep Next()
    {
        if (_next >= _plan.Count) return new DialingStep.Exhausted(Attempts);
        var step = _plan[_next];
        if (!_leftRegion && step.Stage is RouteStage.Overflow or RouteStage.NationalFallback)
        {
            _leftRegion = true;
            return new DialingStep.LeaveRegion(step);
        }
        _next++;
        Attempts++;
        var attempt = new DialAttempt(step, Attempts, $"{step.Agency}-{_callerChannelId}-{Attempts}", $"{_callId}-leg{Attempts}");
        _legIds[attempt.LegChannelId] = attempt.LegId;
        return new DialingStep.Dial(attempt);
    }

    /// <summary>The ledger's leg id of a channel this walker dialled, else null (the caller's channel,
    /// a bridge, a playback).</summary>
    public string? LegIdOf(string? channelId) =>
        channelId is not null && _legIds.TryGetValue(channelId, out var id) ? id : null;
}
