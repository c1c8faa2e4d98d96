using Routing.Calls.Routing;
using Routing.Calls.Tests.Fakes;

namespace Routing.Calls.Tests;

/// <summary>Which trunk a call dials next, as the shipped plans say, without a call around it.</summary>
public class DialingPlanWalkerTests
{
    private const string CallId = "call-1";
    private const string Caller = "caller-1";
    private static readonly RoutePlanner Planner = new(TestOptions.Default());

    private static DialingPlanWalker Walker(IReadOnlyList<RouteStep> plan)
    {
        var walker = new DialingPlanWalker(CallId, Caller);
        walker.Follow(plan);
        return walker;
    }

    /// <summary>Walks to the end as a call whose every leg fails would, telling the caller once when
    /// the call leaves its region.</summary>
    private static List<string> WalkToTheEnd(DialingPlanWalker walker)
    {
        var seen = new List<string>();
        for (var bound = 0; bound < 100; bound++)
        {
            switch (walker.Next())
            {
                case DialingStep.Dial dial:
                    seen.Add(dial.Attempt.Step.Trunk.Name);
                    break;
                case DialingStep.LeaveRegion leave:
                    seen.Add($"(leave for {leave.Step.Trunk.Name})");
                    break;
                case DialingStep.Exhausted exhausted:
                    seen.Add($"exhausted after {exhausted.Attempts}");
                    return seen;
            }
        }
        throw new InvalidOperationException("the walk did not end");
    }

    [Fact]
    public void An_Almaty_police_call_rings_its_own_trunks_then_tells_the_caller_before_Astana_then_the_national_trunk()
    {
        Assert.Equal(
            ["police-almaty-1", "police-almaty-2", "(leave for police-astana-1)", "police-astana-1", "police-astana-2", "police-national", "exhausted after 5"],
            WalkToTheEnd(Walker(Planner.PlanFor("police", "almaty"))));
    }

    [Fact]
    public void Each_dial_is_an_attempt_numbered_from_one_with_the_ids_of_its_leg_and_the_trunk_ring_timeout()
    {
        var walker = Walker(Planner.PlanFor("fire", "almaty"));
        var first = Assert.IsType<DialingStep.Dial>(walker.Next()).Attempt;
        var second = Assert.IsType<DialingStep.Dial>(walker.Next()).Attempt;

        Assert.Equal((1, "fire-caller-1-1", "call-1-leg1"), (first.Number, first.LegChannelId, first.LegId));
        Assert.Equal((2, "fire-caller-1-2", "call-1-leg2"), (second.Number, second.LegChannelId, second.LegId));
        Assert.Equal(first.Step.Trunk.RingTimeout, first.RingTimeout);
        Assert.Equal(2, walker.Attempts);
    }

    [Fact]
    public void Leaving_the_region_is_not_an_attempt_and_the_next_ask_dials_that_same_trunk()
    {
        var walker = Walker(Planner.PlanFor("gas", "shymkent"));
        walker.Next();
        walker.Next();
        var leave = Assert.IsType<DialingStep.LeaveRegion>(walker.Next());
        Assert.Equal(2, walker.Attempts);
        var dial = Assert.IsType<DialingStep.Dial>(walker.Next());
        Assert.Equal((leave.Step, 3), (dial.Attempt.Step, dial.Attempt.Number));
    }

    [Fact]
    public void The_call_taker_plan_never_leaves_the_region()
    {
        Assert.Equal(["calltakers-1", "calltakers-2", "exhausted after 2"], WalkToTheEnd(Walker(Planner.OperatorPlan("astana"))));
    }

    [Fact]
    public void A_plan_that_starts_outside_the_region_tells_the_caller_before_the_first_dial()
    {
        var national = new RouteStep("fire", "almaty", new TrunkOptions { Name = "fire-national", Endpoint = "PJSIP/fire-national" }, RouteStage.NationalFallback);
        Assert.Equal(["(leave for fire-national)", "fire-national", "exhausted after 1"], WalkToTheEnd(Walker([national])));
    }

    [Fact]
    public void An_empty_plan_is_exhausted_at_once_and_stays_exhausted()
    {
        var walker = Walker([]);
        Assert.Equal(new DialingStep.Exhausted(0), walker.Next());
        Assert.Equal(new DialingStep.Exhausted(0), walker.Next());
    }

    [Fact]
    public void Attempts_keep_counting_over_a_second_plan_so_leg_ids_stay_unique_within_the_call()
    {
        var walker = Walker(Planner.PlanFor("police", "almaty"));
        walker.Next();
        walker.Follow(Planner.OperatorPlan("almaty"));
        var dial = Assert.IsType<DialingStep.Dial>(walker.Next());
        Assert.Equal(("calltakers-1", "operator-caller-1-2", "call-1-leg2"), (dial.Attempt.Step.Trunk.Name, dial.Attempt.LegChannelId, dial.Attempt.LegId));
    }

    [Fact]
    public void The_leg_id_of_a_dialled_channel_is_known_and_nothing_else_has_one()
    {
        var walker = Walker(Planner.PlanFor("ambulance", "astana"));
        var dial = Assert.IsType<DialingStep.Dial>(walker.Next()).Attempt;
        Assert.Equal("call-1-leg1", walker.LegIdOf(dial.LegChannelId));
        Assert.Null(walker.LegIdOf(Caller));
        Assert.Null(walker.LegIdOf(null));
    }
}
