using System.Globalization;
using System.Text;
using System.Xml;
using Routing.Calls.Routing;

namespace Routing.Calls.Location;

/// <summary>
/// Writes a call's location as the PIDF-LO document (RFC 4119, RFC 5491 Point or Circle, RFC 5139 civic address) an
/// agency dereferences from the engine (RFC 6442 location by reference). Built from numbers and cleaned text only:
/// the raw value a caller sent is never copied in, every text goes through an XML writer (no string splicing), and
/// free text is cleaned again here, so a hostile civic address or method cannot add elements to the document.
/// </summary>
public static class PidfLoWriter
{
    public const string ContentType = "application/pidf+xml";

    private const string Pidf = "urn:ietf:params:xml:ns:pidf";
    private const string Gp = "urn:ietf:params:xml:ns:pidf:geopriv10";
    private const string Gml = "http://www.opengis.net/gml";
    private const string Gs = "http://www.opengis.net/pidflo/1.0";
    private const string Ca = "urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr";
    private const string Dm = "urn:ietf:params:xml:ns:pidf:data-model";
    private const string Wgs84 = "urn:ogc:def:crs:EPSG::4326";
    private const string Metres = "urn:ogc:def:uom:EPSG::9001";

    /// <summary>The document for <paramref name="location"/>; <paramref name="entity"/> names the presentity
    /// (a <c>pres:</c> URI the engine builds, never caller text).</summary>
    public static string Write(CallLocation location, string entity)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentException.ThrowIfNullOrEmpty(entity);
        var text = new Utf8StringWriter();
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), CheckCharacters = true };
        using (var xml = XmlWriter.Create(text, settings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("presence", Pidf);
            xml.WriteAttributeString("xmlns", "gp", null, Gp);
            xml.WriteAttributeString("xmlns", "gml", null, Gml);
            xml.WriteAttributeString("xmlns", "gs", null, Gs);
            xml.WriteAttributeString("xmlns", "ca", null, Ca);
            xml.WriteAttributeString("xmlns", "dm", null, Dm);
            xml.WriteAttributeString("entity", entity);
            xml.WriteStartElement("device", Dm);
            xml.WriteAttributeString("id", "caller");
            xml.WriteStartElement("geopriv", Gp);
            xml.WriteStartElement("location-info", Gp);
            WriteShape(xml, location);
            WriteCivic(xml, location.CivicAddress);
            xml.WriteEndElement();
            // RFC 4119: retransmission is not allowed and the document is good only while the call lives.
            xml.WriteStartElement("usage-rules", Gp);
            xml.WriteElementString("retransmission-allowed", Gp, "no");
            xml.WriteEndElement();
            var method = Method(location);
            if (method.Length > 0) xml.WriteElementString("method", Gp, method);
            xml.WriteEndElement();
            xml.WriteElementString("timestamp", Dm, Time(location.MeasuredAt ?? location.ReceivedAt));
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        return text.ToString();
    }

    private static void WriteShape(XmlWriter xml, CallLocation location)
    {
        if (location.Point is not { } point) return;
        if (location.UncertaintyMeters is { } radius && double.IsFinite(radius) && radius >= 0)
        {
            xml.WriteStartElement("Circle", Gs);
            xml.WriteAttributeString("srsName", Wgs84);
            xml.WriteElementString("pos", Gml, Position(point));
            xml.WriteStartElement("radius", Gs);
            xml.WriteAttributeString("uom", Metres);
            xml.WriteString(Math.Round(radius, 1).ToString("0.#", CultureInfo.InvariantCulture));
            xml.WriteEndElement();
            xml.WriteEndElement();
            return;
        }

        xml.WriteStartElement("Point", Gml);
        xml.WriteAttributeString("srsName", Wgs84);
        xml.WriteElementString("pos", Gml, Position(point));
        xml.WriteEndElement();
    }

    /// <summary>The engine keeps a civic address as one line (from a PIDF-LO or typed by a call-taker), so it goes
    /// out whole as RFC 5139 <c>LOC</c> (additional location information): splitting it into fields would invent
    /// a structure nobody gave us.</summary>
    private static void WriteCivic(XmlWriter xml, string? civic)
    {
        var line = XmlSafe(CallerText.CleanText(civic, 240));
        if (line.Length == 0) return;
        xml.WriteStartElement("civicAddress", Ca);
        xml.WriteElementString("LOC", Ca, line);
        xml.WriteEndElement();
    }

    /// <summary>RFC 4119 methods are tokens (GPS, A-GPS, Cell, Manual…): letters, digits, dash and space only.</summary>
    private static string Method(CallLocation location)
    {
        var cleaned = CallerText.CleanText(location.Method, 40);
        var kept = new StringBuilder(cleaned.Length);
        foreach (var c in cleaned)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or ' ') kept.Append(c);
        }

        return kept.ToString().Trim();
    }

    /// <summary>What XML 1.0 cannot carry at all (U+FFFE, U+FFFF) goes too: the writer would refuse the document.</summary>
    private static string XmlSafe(string text) => new(text.Where(XmlConvert.IsXmlChar).ToArray());

    private static string Position(GeoPoint point) => $"{GeoPoint.Format(point.Latitude)} {GeoPoint.Format(point.Longitude)}";

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private sealed class Utf8StringWriter : StringWriter
    {
        public Utf8StringWriter()
            : base(CultureInfo.InvariantCulture)
        {
        }

        public override Encoding Encoding => new UTF8Encoding(false);
    }
}
