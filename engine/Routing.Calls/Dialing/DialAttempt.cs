using Routing.Calls.Routing;

namespace Routing.Calls;

/// <summary>One dial of one trunk for one call. <paramref name="Number"/> counts the call's attempts
/// from 1; <paramref name="LegChannelId"/> is the channel id we give Asterisk, <paramref name="LegId"/>
/// the ledger's id of the leg.</summary>
public sealed record DialAttempt(RouteStep Step, int Number, string LegChannelId, string LegId)
{
    /// <summary>How long this trunk may ring before the call moves on.</summary>
    public TimeSpan RingTimeout => Step.Trunk.RingTimeout;
}

/// <summary>What <see cref="DialingPlanWalker.Next"/> says the call does now.</summary>
public abstract record DialingStep
{
    private DialingStep() { }

    /// <summary>Dial this trunk.</summary>
    public sealed record Dial(DialAttempt Attempt) : DialingStep;

    /// <summary>The next trunk is outside the caller's own region (overflow chain or national
    /// fallback): the caller is told first (Overflow state); asking again then dials <paramref name="Step"/>.</summary>
    public sealed record LeaveRegion(RouteStep Step) : DialingStep;

    /// <summary>Every trunk of the plan was tried.</summary>
    public sealed record Exhausted(int Attempts) : DialingStep;
}
