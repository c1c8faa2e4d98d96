using Routing.Calls.Location;

namespace Routing.Calls.Tests.Location;

public sealed class PidfLoParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 10, 0, 30, TimeSpan.Zero);

    private const string Head = """
        <?xml version="1.0" encoding="UTF-8"?>
        <presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:gp="urn:ietf:params:xml:ns:pidf:geopriv10"
          xmlns:gml="http://www.opengis.net/gml" xmlns:gs="http://www.opengis.net/pidflo/1.0"
          xmlns:ca="urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"
          entity="sip:caller@example.org">
        <dm:device id="d1"><gp:geopriv><gp:location-info>
        """;

    private const string Tail = """
        </gp:location-info><gp:method>GPS</gp:method></gp:geopriv><dm:timestamp>2026-12-06T10:00:00Z</dm:timestamp></dm:device></presence>
        """;

    [Fact]
    public void The_valid_PIDF_LO_recorded_from_a_real_Asterisk_reads_as_the_point_the_handset_sent()
    {
        var reading = PidfLoParser.Parse(RecordedInvites.Pidf("geolocation-pidf-lo.geocaller-valid.sipp-msg.txt"), Now);

        Assert.True(reading.Ok, reading.Error);
        var location = reading.Location!;
        Assert.Equal(LocationSource.SipPidfLo, location.Source);
        Assert.Equal(51.1694, location.Point!.Value.Latitude, 6);
        Assert.Equal(71.4491, location.Point!.Value.Longitude, 6);
        Assert.Equal("GPS", location.Method);
        Assert.Equal(new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero), location.MeasuredAt);
        Assert.Contains("<gml:pos>51.1694 71.4491</gml:pos>", location.Raw);
    }

    [Fact]
    public void The_malformed_PIDF_LO_that_crashed_Asterisk_is_rejected_with_the_line_at_fault()
    {
        var reading = PidfLoParser.Parse(RecordedInvites.Pidf("geolocation-malformed-ari-read.geocaller-malformed.sipp-msg.txt"), Now);

        Assert.False(reading.Ok);
        Assert.StartsWith("PIDF-LO: not well-formed XML at line", reading.Error);
    }

    [Fact]
    public void A_circle_gives_its_centre_and_radius_as_uncertainty()
    {
        var reading = PidfLoParser.Parse(Head + """
            <gs:Circle srsName="urn:ogc:def:crs:EPSG::4326"><gml:pos>43.2389 76.8897</gml:pos>
            <gs:radius uom="urn:ogc:def:uom:EPSG::9001">850</gs:radius></gs:Circle>
            """ + Tail, Now);

        Assert.True(reading.Ok, reading.Error);
        Assert.Equal(43.2389, reading.Location!.Point!.Value.Latitude, 6);
        Assert.Equal(850, reading.Location.UncertaintyMeters);
    }

    [Fact]
    public void A_civic_address_alone_is_kept_without_coordinates()
    {
        var reading = PidfLoParser.Parse(Head + """
            <ca:civicAddress><ca:country>KZ</ca:country><ca:A1>Almaty</ca:A1><ca:A3>Almaty</ca:A3>
            <ca:RD>Abay Avenue</ca:RD><ca:HNO>52</ca:HNO></ca:civicAddress>
            """ + Tail, Now);

        Assert.True(reading.Ok, reading.Error);
        Assert.Null(reading.Location!.Point);
        Assert.Equal("Abay Avenue, 52, Almaty, Almaty, KZ", reading.Location.CivicAddress);
    }

    [Fact]
    public void A_polygon_is_kept_as_its_centre_and_the_distance_to_its_farthest_corner()
    {
        var reading = PidfLoParser.Parse(Head + """
            <gml:Polygon srsName="urn:ogc:def:crs:EPSG::4326"><gml:exterior><gml:LinearRing>
            <gml:posList>51.0 71.0 51.0 71.2 51.2 71.2 51.2 71.0 51.0 71.0</gml:posList>
            </gml:LinearRing></gml:exterior></gml:Polygon>
            """ + Tail, Now);

        Assert.True(reading.Ok, reading.Error);
        Assert.Equal(51.1, reading.Location!.Point!.Value.Latitude, 6);
        Assert.Equal(71.1, reading.Location.Point!.Value.Longitude, 6);
        Assert.InRange(reading.Location.UncertaintyMeters!.Value, 12_000, 14_000);
    }

    [Theory]
    [InlineData("<gml:Point><gml:pos>51.1 abc</gml:pos></gml:Point>", "gml:pos '51.1 abc' is not 'latitude longitude'")]
    [InlineData("<gml:Point><gml:pos>95 71</gml:pos></gml:Point>", "latitude 95 is outside -90..90")]
    [InlineData("<gml:Point srsName=\"urn:ogc:def:crs:EPSG::3857\"><gml:pos>5 7</gml:pos></gml:Point>", "is not WGS 84")]
    [InlineData("<gml:Point></gml:Point>", "Point has no gml:pos")]
    [InlineData("<gs:Circle><gml:pos>51 71</gml:pos><gs:radius uom=\"urn:ogc:def:uom:EPSG::9002\">10</gs:radius></gs:Circle>", "is not metres")]
    [InlineData("<gs:Ellipsoid><gml:pos>51 71</gml:pos></gs:Ellipsoid>", "shape Ellipsoid is not supported")]
    [InlineData("", "holds neither a GML shape nor a civic address")]
    public void A_location_that_is_not_a_place_is_rejected_with_what_is_wrong(string shape, string expected)
    {
        var reading = PidfLoParser.Parse(Head + shape + Tail, Now);

        Assert.False(reading.Ok);
        Assert.Contains(expected, reading.Error);
    }

    [Fact]
    public void An_external_entity_is_refused_before_anything_is_read()
    {
        const string xxe = """
            <?xml version="1.0"?><!DOCTYPE presence [<!ENTITY x SYSTEM "file:///etc/passwd">]>
            <presence xmlns="urn:ietf:params:xml:ns:pidf">&x;</presence>
            """;

        var reading = PidfLoParser.Parse(xxe, Now);

        Assert.False(reading.Ok);
        Assert.Contains("not well-formed XML", reading.Error);
        Assert.DoesNotContain("root:", reading.Error);
    }

    [Theory]
    [InlineData(null, "the body is empty")]
    [InlineData("<presence xmlns=\"urn:other\"/>", "not presence")]
    [InlineData("<presence xmlns=\"urn:ietf:params:xml:ns:pidf\"/>", "no gp:location-info")]
    public void Bodies_that_are_not_PIDF_LO_are_named_as_such(string? body, string expected)
    {
        Assert.Contains(expected, PidfLoParser.Parse(body, Now).Error);
    }

    [Fact]
    public void A_body_too_large_to_be_a_location_is_refused_without_parsing()
    {
        var huge = Head + new string(' ', PidfLoParser.MaxDocumentChars) + Tail;

        Assert.Contains("more than the", PidfLoParser.Parse(huge, Now).Error);
    }
}
