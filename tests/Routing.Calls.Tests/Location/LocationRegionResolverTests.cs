using Routing.Calls.Location;

namespace Routing.Calls.Tests.Location;

public sealed class LocationRegionResolverTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 10, 0, 30, TimeSpan.Zero);
    private static readonly GeoPoint InAstana = new(51.1694, 71.4491);

    private static LocationRegionResolver Resolver(LocationOptions? options = null)
    {
        Assert.True(GeoArea.TryParse("""{"type":"Polygon","coordinates":[[[71.2,51.0],[71.7,51.0],[71.7,51.3],[71.2,51.3],[71.2,51.0]]]}""", out var astana, out _));
        Assert.True(GeoArea.TryParse("""{"type":"Polygon","coordinates":[[[76.7,43.1],[77.1,43.1],[77.1,43.4],[76.7,43.4],[76.7,43.1]]]}""", out var almaty, out _));
        return new LocationRegionResolver([new("astana", astana!), new("almaty", almaty!)], options ?? new LocationOptions());
    }

    private static CallLocation Fix(LocationSource source, GeoPoint? point, double? uncertainty = 20, DateTimeOffset? measuredAt = null) =>
        new(source, Now, measuredAt ?? Now.AddSeconds(-5), point, uncertainty, null, "GNSS", "raw");

    [Fact]
    public void A_mobile_from_Almaty_calling_from_Astana_is_routed_to_Astana()
    {
        var decision = Resolver().Resolve(Fix(LocationSource.Aml, InAstana), Now);

        Assert.Equal("astana", decision.Region);
        Assert.Equal("Aml location 51.1694 71.4491 is inside region astana's area", decision.Rule);
    }

    [Fact]
    public void An_imprecise_fix_leaves_the_choice_to_the_number_and_says_why()
    {
        var decision = Resolver().Resolve(Fix(LocationSource.Aml, InAstana, uncertainty: 5000), Now);

        Assert.Null(decision.Region);
        Assert.Contains("less precise than Routing:Location:RoutingMaxUncertaintyMeters 1000 m", decision.Rule);
    }

    [Fact]
    public void An_old_fix_leaves_the_choice_to_the_number()
    {
        var decision = Resolver().Resolve(Fix(LocationSource.SipPidfLo, InAstana, measuredAt: Now.AddMinutes(-30)), Now);

        Assert.Null(decision.Region);
        Assert.Contains("older than Routing:Location:RoutingMaxAge", decision.Rule);
    }

    [Fact]
    public void A_sender_that_forbids_routing_by_its_location_is_obeyed()
    {
        var decision = Resolver().Resolve(Fix(LocationSource.SipPidfLo, InAstana), Now, routingAllowed: false);

        Assert.Null(decision.Region);
        Assert.Contains("Geolocation-Routing: no", decision.Rule);
    }

    [Fact]
    public void SIP_locations_can_be_kept_off_routing_by_configuration()
    {
        var decision = Resolver(new LocationOptions { RouteBySipLocation = false }).Resolve(Fix(LocationSource.SipPidfLo, InAstana), Now);

        Assert.Null(decision.Region);
        Assert.Contains("RouteBySipLocation is false", decision.Rule);
    }

    [Fact]
    public void An_SOS_button_place_routes_however_old_its_configuration_is()
    {
        var decision = Resolver().Resolve(Fix(LocationSource.SosDevice, InAstana, uncertainty: null, measuredAt: Now.AddYears(-1)), Now);

        Assert.Equal("astana", decision.Region);
    }

    [Fact]
    public void Without_a_usable_location_the_number_decides()
    {
        Assert.Equal("no location", Resolver().Resolve(null, Now).Rule);
        Assert.Contains("has no coordinates", Resolver().Resolve(Fix(LocationSource.CallTaker, null), Now).Rule);
        Assert.Contains("inside no configured region area", Resolver().Resolve(Fix(LocationSource.Aml, new GeoPoint(47.1, 51.9)), Now).Rule);
    }
}
