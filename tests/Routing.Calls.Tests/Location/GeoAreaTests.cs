using Routing.Calls.Location;

namespace Routing.Calls.Tests.Location;

public sealed class GeoAreaTests
{
    // A square around central Astana with a hole (a park nobody routes to, to prove holes count).
    private const string AstanaWithHole = """
        {"type":"Feature","properties":{"name":"astana"},"geometry":{"type":"Polygon","coordinates":[
          [[71.2,51.0],[71.7,51.0],[71.7,51.3],[71.2,51.3],[71.2,51.0]],
          [[71.40,51.10],[71.42,51.10],[71.42,51.12],[71.40,51.12],[71.40,51.10]]]}}
        """;

    [Theory]
    [InlineData(51.1694, 71.4491, true)]   // the recorded PIDF-LO point
    [InlineData(51.11, 71.41, false)]      // inside the hole
    [InlineData(43.2389, 76.8897, false)]  // Almaty
    public void A_point_is_inside_the_outline_and_outside_its_holes(double lat, double lon, bool inside)
    {
        Assert.True(GeoArea.TryParse(AstanaWithHole, out var area, out var error), error);

        Assert.Equal(inside, area!.Contains(new GeoPoint(lat, lon)));
    }

    [Fact]
    public void A_multipolygon_in_a_feature_collection_holds_each_of_its_parts()
    {
        const string json = """
            {"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[
              [[[76.7,43.1],[77.1,43.1],[77.1,43.4],[76.7,43.4],[76.7,43.1]]],
              [[[71.2,51.0],[71.7,51.0],[71.7,51.3],[71.2,51.3],[71.2,51.0]]]]}}]}
            """;

        Assert.True(GeoArea.TryParse(json, out var area, out var error), error);
        Assert.Equal(2, area!.PolygonCount);
        Assert.True(area.Contains(new GeoPoint(43.2389, 76.8897)));
        Assert.True(area.Contains(new GeoPoint(51.1694, 71.4491)));
    }

    [Theory]
    [InlineData("", "the GeoJSON is empty")]
    [InlineData("{", "not valid JSON")]
    [InlineData("[1,2]", "$: a GeoJSON object with a \"type\" is expected")]
    [InlineData("{\"type\":\"Point\",\"coordinates\":[71,51]}", "$.type: 'Point' is not Polygon")]
    [InlineData("{\"type\":\"Polygon\"}", "$.coordinates: an array is expected")]
    [InlineData("{\"type\":\"Polygon\",\"coordinates\":[[[71,51],[72,51],[72,52],[71,51]]]}", null)]
    [InlineData("{\"type\":\"Polygon\",\"coordinates\":[[[71,51],[72,51],[72,52]]]}", "$.coordinates[0]: a ring needs at least 4 positions")]
    [InlineData("{\"type\":\"Polygon\",\"coordinates\":[[[71,51],[72,51],[72,52],[71,52]]]}", "$.coordinates[0]: the ring is not closed")]
    [InlineData("{\"type\":\"Polygon\",\"coordinates\":[[[71,51],[72,\"x\"],[72,52],[71,51]]]}", "$.coordinates[0][1]: a position [longitude, latitude] is expected")]
    [InlineData("{\"type\":\"Polygon\",\"coordinates\":[[[71,51],[72,99],[72,52],[71,51]]]}", "$.coordinates[0][1]: latitude 99 is outside")]
    [InlineData("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\"}]}", "$.features[0].geometry is missing")]
    [InlineData("{\"type\":\"FeatureCollection\",\"features\":[]}", "holds no Polygon")]
    public void Broken_GeoJSON_is_refused_naming_the_path_at_fault(string json, string? expected)
    {
        var ok = GeoArea.TryParse(json, out _, out var error);

        if (expected is null)
        {
            Assert.True(ok, error);
        }
        else
        {
            Assert.False(ok);
            Assert.Contains(expected, error);
        }
    }

    [Fact]
    public void Rings_bound_from_configuration_make_the_same_area()
    {
        IReadOnlyList<IReadOnlyList<IReadOnlyList<double>>> rings = [[[71.2, 51.0], [71.7, 51.0], [71.7, 51.3], [71.2, 51.3], [71.2, 51.0]]];

        Assert.True(GeoArea.TryFromRings(rings, out var area, out var error), error);
        Assert.True(area!.Contains(new GeoPoint(51.1694, 71.4491)));
    }
}
