using Routing.TestSupport;

namespace Routing.Engine.Tests.Location;

/// <summary>The INVITEs a SIPp geo caller sent a real Asterisk 23.4.1 (turn2/sip/geolocation-*): headers and body as
/// an SBC in front of Asterisk would hand them over.</summary>
internal static class RecordedGeoInvite
{
    public const string Valid = "geolocation-pidf-lo.geocaller-valid.sipp-msg.txt";
    public const string Malformed = "geolocation-malformed-ari-read.geocaller-malformed.sipp-msg.txt";

    /// <summary>The recordings are hours old by now; a PIDF-LO that old no longer chooses the region
    /// (Routing:Location:RoutingMaxAge), so tests that route by it give it the time an SBC would pass it on.</summary>
    public static string Fresh(string body) =>
        body.Replace("2026-12-06T10:00:00Z", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    public static (Dictionary<string, string> Headers, string Body) Read(string file)
    {
        var text = File.ReadAllText(RepositoryFiles.Trace(Path.Combine("turn2", "sip", file))).Replace("\r\n", "\n");
        var start = text.IndexOf("INVITE sip:", StringComparison.Ordinal);
        var end = text.IndexOf("\n-----------------------------------------------", start, StringComparison.Ordinal);
        var message = text[start..end];
        var split = message.IndexOf("\n\n", StringComparison.Ordinal);
        var headers = message[..split].Split('\n').Skip(1).Select(l => l.Split(':', 2))
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        return (headers, message[(split + 2)..].Replace("\n", "\r\n"));
    }
}
