using Routing.Calls.Routing;
using Routing.Calls.Tests.Fakes;

namespace Routing.Calls.Tests;

public class RoutePlannerTests
{
    private static RoutePlanner Planner(Action<RoutingOptions>? change = null)
    {
        var options = TestOptions.Default();
        change?.Invoke(options);
        return new RoutePlanner(options);
    }

    [Theory]
    [InlineData("+77271234567", "almaty")]
    [InlineData("87271234567", "almaty")]
    [InlineData("+77171234567", "astana")]
    [InlineData("+77251234567", "shymkent")]
    [InlineData("+7 (725) 123-45-67", "shymkent")]
    [InlineData("+79991234567", "almaty")] // no prefix matches: DefaultRegion
    [InlineData("", "almaty")]
    [InlineData("anonymous", "almaty")]
    [InlineData(null, "almaty")]
    public void A_caller_is_placed_by_the_prefix_of_the_cleaned_number(string? number, string region) =>
        Assert.Equal(region, Planner().RegionFor(number));

    [Fact]
    public void The_longest_prefix_wins()
    {
        var planner = Planner(o => o.Regions["medeu"] = new RegionOptions { CallerPrefixes = ["+772725"] });
        Assert.Equal("medeu", planner.RegionFor("+77272512345"));
        Assert.Equal("almaty", planner.RegionFor("+77272612345"));
    }

    [Fact]
    public void A_hostile_caller_number_never_throws_and_falls_back_to_the_default_region()
    {
        var planner = Planner();
        Assert.Equal("almaty", planner.RegionFor(new string('\0', 10_000)));
        Assert.Equal("almaty", planner.RegionFor("'; DROP TABLE calls; --"));
        Assert.Equal("astana", planner.RegionFor("+7717\u202e{0}%s" + new string('9', 10_000)));
    }

    [Fact]
    public void A_plan_is_the_region_then_its_overflow_region_then_the_national_fallback()
    {
        var plan = Planner().PlanFor("police", "almaty");
        Assert.Equal(
            ["police-almaty-1", "police-almaty-2", "police-astana-1", "police-astana-2", "police-national"],
            plan.Select(s => s.Trunk.Name));
        Assert.Equal(
            [RouteStage.Primary, RouteStage.Primary, RouteStage.Overflow, RouteStage.Overflow, RouteStage.NationalFallback],
            plan.Select(s => s.Stage));
        Assert.Equal(["almaty", "almaty", "astana", "astana", "almaty"], plan.Select(s => s.Region));
    }

    [Fact]
    public void The_overflow_chain_follows_every_region_once_and_stops_where_it_would_loop()
    {
        // shymkent → almaty → astana → (almaty again: stop)
        var planner = Planner();
        Assert.Equal(["shymkent", "almaty", "astana"], planner.OverflowChain("shymkent"));
        Assert.Equal(
            ["fire-shymkent-1", "fire-shymkent-2", "fire-almaty-1", "fire-almaty-2", "fire-astana-1", "fire-astana-2", "fire-national"],
            planner.PlanFor("fire", "shymkent").Select(s => s.Trunk.Name));
    }

    [Fact]
    public void A_region_without_trunks_for_the_agency_goes_straight_to_overflow()
    {
        var planner = Planner(o => o.Regions["shymkent"].Trunks.Remove("gas"));
        var plan = planner.PlanFor("gas", "shymkent");
        Assert.Equal("gas-almaty-1", plan[0].Trunk.Name);
        Assert.Equal(RouteStage.Overflow, plan[0].Stage);
    }

    [Fact]
    public void An_unknown_region_plans_from_the_default_region()
    {
        var plan = Planner().PlanFor("ambulance", "atlantis");
        Assert.Equal("ambulance-almaty-1", plan[0].Trunk.Name);
        Assert.Equal(RouteStage.Primary, plan[0].Stage);
    }

    [Fact]
    public void The_operator_plan_is_every_call_taker_trunk_in_order()
    {
        var plan = Planner().OperatorPlan("astana");
        Assert.Equal(["calltakers-1", "calltakers-2"], plan.Select(s => s.Trunk.Name));
        Assert.All(plan, s => Assert.Equal(RouteStage.Operator, s.Stage));
        Assert.All(plan, s => Assert.Equal(RoutePlanner.OperatorAgency, s.Agency));
    }
}
