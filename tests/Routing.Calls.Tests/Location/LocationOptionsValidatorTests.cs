using Routing.Calls.Routing;
using Routing.Calls.Tests.Fakes;

namespace Routing.Calls.Tests.Location;

/// <summary>Region outlines and device places are checked at start; each error names its key.</summary>
public class LocationOptionsValidatorTests
{
    [Fact]
    public void The_shipped_outlines_and_device_places_are_valid()
    {
        Assert.Empty(RoutingOptionsValidator.Validate(TestOptions.Default()));
        Assert.Equal(3, global::Routing.Calls.Location.RegionAreas.Read(TestOptions.Default(), out _).Count);
    }

    [Fact]
    public void An_open_ring_is_refused_naming_the_region_key()
    {
        var o = TestOptions.Default();
        o.Regions["astana"].Area = [[[71.2, 51.0], [71.7, 51.0], [71.7, 51.3], [71.2, 51.3], [71.2, 51.01]]];
        var error = Assert.Single(RoutingOptionsValidator.Validate(o));
        Assert.StartsWith("Routing:Regions:astana:Area: Area[0]: the ring is not closed", error);
    }

    [Fact]
    public void Coordinates_off_the_earth_and_NaN_are_refused()
    {
        var o = TestOptions.Default();
        o.Regions["almaty"].Area = [[[76.7, 143.1], [77.1, 43.1], [77.1, 43.4], [76.7, 143.1]]];
        o.Devices["+77270000101"].Latitude = double.NaN;
        var errors = RoutingOptionsValidator.Validate(o);
        Assert.Contains(errors, e => e.StartsWith("Routing:Regions:almaty:Area: Area[0][0]: latitude 143.1 is outside -90..90", StringComparison.Ordinal));
        Assert.Contains("Routing:Devices:+77270000101: latitude NaN is outside -90..90", errors);
    }

    [Fact]
    public void GeoJSON_text_with_a_foreign_shape_or_both_forms_at_once_is_refused()
    {
        var o = TestOptions.Default();
        o.Regions["shymkent"].Area = null;
        o.Regions["shymkent"].AreaGeoJson = """{"type":"Point","coordinates":[69.6,42.3]}""";
        o.Regions["almaty"].AreaGeoJson = """{"type":"Polygon","coordinates":[[[76.7,43.1],[77.1,43.1],[77.1,43.4],[76.7,43.1]]]}""";
        var errors = RoutingOptionsValidator.Validate(o);
        Assert.Contains("Routing:Regions:almaty: set Area or AreaGeoJson, not both", errors);
        Assert.Contains(errors, e => e.StartsWith("Routing:Regions:shymkent:AreaGeoJson: ", StringComparison.Ordinal));
    }

    [Fact]
    public void A_device_with_half_a_position_or_a_negative_uncertainty_is_refused()
    {
        var o = TestOptions.Default();
        o.Devices["+77170000201"].Longitude = null;
        o.Devices["+77270000101"].UncertaintyMeters = -1;
        var errors = RoutingOptionsValidator.Validate(o);
        Assert.Contains("Routing:Devices:+77170000201: set both Latitude and Longitude, or neither", errors);
        Assert.Contains("Routing:Devices:+77270000101:UncertaintyMeters must be a number of metres, not negative", errors);
    }

    [Fact]
    public void Trust_bounds_must_be_positive()
    {
        var o = TestOptions.Default();
        o.Location.RoutingMaxUncertaintyMeters = double.NaN;
        o.Location.RoutingMaxAge = TimeSpan.Zero;
        var errors = RoutingOptionsValidator.Validate(o);
        Assert.Contains("Routing:Location:RoutingMaxUncertaintyMeters must be a positive number of metres", errors);
        Assert.Contains("Routing:Location:RoutingMaxAge must be positive", errors);
    }
}
