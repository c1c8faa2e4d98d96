using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Routing.Calls.Routing;

namespace Routing.Calls.Location;

/// <summary>
/// Reads a PIDF-LO document (RFC 4119, RFC 5491 shapes, RFC 5139 civic address) in managed code.
/// Asterisk 23.4.1's own reader (res_geolocation) crashes the whole PBX on a malformed body
/// (tests/fixtures/asterisk-traces/turn2/asterisk-crash-geolocation.txt), so a hostile caller's XML is
/// parsed here instead: no DTD, no external entities, a size bound, and every failure a reason.
/// </summary>
public static class PidfLoParser
{
    /// <summary>A PIDF-LO is a few hundred bytes; anything near this is not one.</summary>
    public const int MaxDocumentChars = 64 * 1024;

    private static readonly XNamespace Pidf = "urn:ietf:params:xml:ns:pidf";
    private static readonly XNamespace Gp = "urn:ietf:params:xml:ns:pidf:geopriv10";
    private static readonly XNamespace Gml = "http://www.opengis.net/gml";
    private static readonly XNamespace Gs = "http://www.opengis.net/pidflo/1.0";
    private static readonly XNamespace Ca = "urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr";
    private static readonly XNamespace Dm = "urn:ietf:params:xml:ns:pidf:data-model";

    // RFC 5139 civic elements, in the order a person reads an address (street, house, then area).
    private static readonly string[] CivicOrder = ["NAM", "LMK", "RD", "A6", "PRD", "STS", "POD", "HNO", "HNS", "FLR", "ROOM", "LOC", "A5", "A4", "A3", "A2", "A1", "PC", "country"];

    public static LocationReading Parse(string? document, DateTimeOffset receivedAt, LocationSource source = LocationSource.SipPidfLo)
    {
        if (string.IsNullOrWhiteSpace(document)) return LocationReading.Rejected("PIDF-LO: the body is empty");
        if (document.Length > MaxDocumentChars)
            return LocationReading.Rejected($"PIDF-LO: the body is {document.Length} characters, more than the {MaxDocumentChars} a location document can need");

        XDocument xml;
        try
        {
            xml = Load(document);
        }
        catch (XmlException ex)
        {
            return LocationReading.Rejected($"PIDF-LO: not well-formed XML at line {ex.LineNumber}, position {ex.LinePosition}: {CallerText.CleanText(ex.Message, 160)}");
        }

        if (xml.Root is not { } root || root.Name != Pidf + "presence")
            return LocationReading.Rejected($"PIDF-LO: the root element is {Describe(xml.Root?.Name)}, not presence in {Pidf.NamespaceName}");

        var info = root.Descendants(Gp + "location-info").FirstOrDefault();
        if (info is null) return LocationReading.Rejected("PIDF-LO: no gp:location-info element (the document carries no location)");

        var method = CallerText.CleanText(root.Descendants(Gp + "method").FirstOrDefault()?.Value, 40);
        var measuredAt = Timestamp(root);
        var raw = CallLocation.Cap(document);

        var civic = Civic(info);
        var shape = info.Elements().FirstOrDefault(e => e.Name.Namespace == Gml || e.Name.Namespace == Gs);
        if (shape is null)
        {
            return civic is null
                ? LocationReading.Rejected("PIDF-LO: gp:location-info holds neither a GML shape nor a civic address")
                : LocationReading.Read(new CallLocation(source, receivedAt, measuredAt, null, null, civic, method, raw));
        }

        var crsError = CheckCrs(shape);
        if (crsError is not null) return LocationReading.Rejected(crsError);

        GeoPoint point;
        double? uncertainty = null;
        string? error;
        switch (shape.Name.LocalName)
        {
            case "Point":
                if (!ReadPos(shape, out point, out error)) return LocationReading.Rejected(error!);
                break;
            case "Circle" when shape.Name.Namespace == Gs:
                if (!ReadPos(shape, out point, out error)) return LocationReading.Rejected(error!);
                if (!ReadLength(shape.Element(Gs + "radius"), "gs:radius", out var radius, out error)) return LocationReading.Rejected(error!);
                uncertainty = radius;
                break;
            case "Polygon":
                if (!ReadPolygon(shape, out point, out var spread, out error)) return LocationReading.Rejected(error!);
                uncertainty = spread;
                break;
            default:
                return LocationReading.Rejected($"PIDF-LO: shape {shape.Name.LocalName} is not supported (Point, Circle, Polygon or a civic address)");
        }

        return LocationReading.Read(new CallLocation(source, receivedAt, measuredAt, point, uncertainty, civic, method, raw));
    }

    private static XDocument Load(string document)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = MaxDocumentChars,
            MaxCharactersFromEntities = 0,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };
        using var reader = XmlReader.Create(new StringReader(document), settings);
        return XDocument.Load(reader, LoadOptions.SetLineInfo);
    }

    private static string? CheckCrs(XElement shape)
    {
        var srs = shape.Attribute("srsName")?.Value;
        if (string.IsNullOrEmpty(srs)) return null; // RFC 5491 requires it, but a missing one is read as WGS 84 like every PSAP does
        return srs.EndsWith("::4326", StringComparison.Ordinal) || srs.EndsWith("::4979", StringComparison.Ordinal)
            ? null
            : $"PIDF-LO: srsName '{CallerText.CleanText(srs, 80)}' is not WGS 84 (EPSG::4326 or EPSG::4979)";
    }

    private static bool ReadPos(XElement shape, out GeoPoint point, out string? error)
    {
        point = default;
        var pos = shape.Descendants(Gml + "pos").FirstOrDefault();
        if (pos is null)
        {
            error = $"PIDF-LO: {shape.Name.LocalName} has no gml:pos";
            return false;
        }

        return ParsePosition(pos.Value, out point, out error);
    }

    private static bool ParsePosition(string text, out GeoPoint point, out string? error)
    {
        point = default;
        var numbers = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (numbers.Length is < 2 or > 3
            || !double.TryParse(numbers[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var lat)
            || !double.TryParse(numbers[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var lon))
        {
            error = $"PIDF-LO: gml:pos '{CallerText.CleanText(text, 60)}' is not 'latitude longitude'";
            return false;
        }

        if (!GeoPoint.TryCreate(lat, lon, out point, out var range))
        {
            error = "PIDF-LO: gml:pos " + range;
            return false;
        }

        error = null;
        return true;
    }

    private static bool ReadLength(XElement? element, string name, out double meters, out string? error)
    {
        meters = 0;
        if (element is null)
        {
            error = $"PIDF-LO: {name} is missing";
            return false;
        }

        var uom = element.Attribute("uom")?.Value;
        if (uom is not null && !uom.EndsWith("::9001", StringComparison.Ordinal))
        {
            error = $"PIDF-LO: {name} unit '{CallerText.CleanText(uom, 60)}' is not metres (EPSG::9001)";
            return false;
        }

        if (!double.TryParse(element.Value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out meters) || !double.IsFinite(meters) || meters < 0)
        {
            error = $"PIDF-LO: {name} '{CallerText.CleanText(element.Value, 40)}' is not a length in metres";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>A polygon is kept as its vertex average and the farthest vertex from it: the call-taker
    /// needs a place and how far it may be off, not the outline.</summary>
    private static bool ReadPolygon(XElement shape, out GeoPoint centre, out double spreadMeters, out string? error)
    {
        centre = default;
        spreadMeters = 0;
        var vertices = new List<GeoPoint>();
        var posList = shape.Descendants(Gml + "posList").FirstOrDefault();
        if (posList is not null)
        {
            var numbers = posList.Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (numbers.Length % 2 != 0)
            {
                error = "PIDF-LO: gml:posList has an odd count of numbers";
                return false;
            }

            for (var i = 0; i < numbers.Length; i += 2)
            {
                if (!ParsePosition(numbers[i] + " " + numbers[i + 1], out var p, out error)) return false;
                vertices.Add(p);
            }
        }
        else
        {
            foreach (var pos in shape.Descendants(Gml + "pos"))
            {
                if (!ParsePosition(pos.Value, out var p, out error)) return false;
                vertices.Add(p);
            }
        }

        if (vertices.Count < 4)
        {
            error = $"PIDF-LO: a Polygon needs at least 4 positions (a closed ring), this one has {vertices.Count}";
            return false;
        }

        var ring = vertices.Take(vertices.Count - 1).ToList(); // the closing vertex repeats the first
        centre = new GeoPoint(ring.Average(v => v.Latitude), ring.Average(v => v.Longitude));
        var c = centre;
        spreadMeters = ring.Max(v => GeoDistance.Meters(c, v));
        error = null;
        return true;
    }

    private static string? Civic(XElement info)
    {
        var civic = info.Element(Ca + "civicAddress");
        if (civic is null) return null;
        var byName = civic.Elements()
            .Where(e => e.Name.Namespace == Ca)
            .GroupBy(e => e.Name.LocalName)
            .ToDictionary(g => g.Key, g => CallerText.CleanText(g.First().Value, 80));
        var parts = CivicOrder.Where(byName.ContainsKey).Select(k => byName[k]).Where(v => v.Length > 0).ToList();
        return parts.Count == 0 ? null : CallerText.CleanText(string.Join(", ", parts), 240);
    }

    private static DateTimeOffset? Timestamp(XElement root)
    {
        var text = root.Descendants(Dm + "timestamp").FirstOrDefault()?.Value
                   ?? root.Descendants(Pidf + "timestamp").FirstOrDefault()?.Value;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
    }

    private static string Describe(XName? name) => name is null ? "missing" : $"{{{name.NamespaceName}}}{name.LocalName}";
}
