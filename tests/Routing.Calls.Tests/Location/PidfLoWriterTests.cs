using System.Xml.Linq;
using Routing.Calls.Location;

namespace Routing.Calls.Tests.Location;

/// <summary>The PIDF-LO an agency dereferences: read back by our own parser to the same place, and built so that no
/// text a caller controls can change its structure.</summary>
public class PidfLoWriterTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 24, 2, 13, 0, TimeSpan.Zero);

    private static CallLocation Location(GeoPoint? point, double? radius, string? civic, string method = "GPS", string raw = "raw") =>
        new(LocationSource.Aml, At, At.AddSeconds(-4), point, radius, civic, method, raw);

    private static CallLocation RoundTrip(CallLocation location)
    {
        var reading = PidfLoParser.Parse(PidfLoWriter.Write(location, "pres:112-test@location.test"), At);
        Assert.True(reading.Ok, reading.Error);
        return reading.Location!;
    }

    [Fact]
    public void A_circle_with_a_civic_address_reads_back_as_the_same_point_radius_address_method_and_time()
    {
        var back = RoundTrip(Location(new GeoPoint(51.1694, 71.4491), 12.5, "Astana, Kenesary 40", "A-GPS"));

        Assert.Equal(new GeoPoint(51.1694, 71.4491), back.Point);
        Assert.Equal(12.5, back.UncertaintyMeters);
        Assert.Equal("Astana, Kenesary 40", back.CivicAddress);
        Assert.Equal("A-GPS", back.Method);
        Assert.Equal(At.AddSeconds(-4), back.MeasuredAt);
    }

    [Fact]
    public void A_point_without_uncertainty_is_a_GML_point_and_a_civic_address_alone_has_no_shape()
    {
        var point = RoundTrip(Location(new GeoPoint(-33.8688, 151.2093), null, null));
        Assert.Equal(new GeoPoint(-33.8688, 151.2093), point.Point);
        Assert.Null(point.UncertaintyMeters);
        Assert.Contains("<gml:Point srsName=\"urn:ogc:def:crs:EPSG::4326\">", PidfLoWriter.Write(Location(new GeoPoint(1, 2), null, null), "pres:x@y"), StringComparison.Ordinal);

        var civic = RoundTrip(Location(null, null, "Almaty, Abay Ave 10"));
        Assert.Null(civic.Point);
        Assert.Equal("Almaty, Abay Ave 10", civic.CivicAddress);
    }

    [Fact]
    public void Hostile_address_and_method_text_stays_text_and_the_raw_value_is_never_copied_in()
    {
        const string hostile = "</ca:LOC><gml:pos>0 0</gml:pos><!--\u0001\uFFFE &amp; ]]>";
        var location = Location(new GeoPoint(43.2389, 76.9455), 5, hostile, method: "GPS\"/><evil/>", raw: "<presence>RAW-SECRET</presence>");

        var document = PidfLoWriter.Write(location, "pres:112-test@location.test");

        var xml = XDocument.Parse(document);
        Assert.Single(xml.Descendants(XName.Get("pos", "http://www.opengis.net/gml")));
        Assert.DoesNotContain(xml.Descendants(), e => e.Name.LocalName == "evil");
        Assert.DoesNotContain("RAW-SECRET", document, StringComparison.Ordinal);
        var back = PidfLoParser.Parse(document, At).Location!;
        Assert.Equal(new GeoPoint(43.2389, 76.9455), back.Point);
        Assert.Equal("</ca:LOC><gml:pos>0 0</gml:pos><!-- &amp; ]]>", back.CivicAddress);
        Assert.Equal("GPSevil", back.Method);
    }
}
