using Routing.Calls.Location;
using Routing.TestSupport;

namespace Routing.Calls.Tests.Location;

/// <summary>The INVITEs a SIPp geo caller sent a real Asterisk 23.4.1 (turn2/sip/geolocation-*), split
/// into the headers and body a SIP stack would hand over.</summary>
internal static class RecordedInvites
{
    public static (Dictionary<string, string> Headers, string Body) Read(string sippMessageFile)
    {
        var text = File.ReadAllText(RepositoryFiles.Trace(Path.Combine("turn2", "sip", sippMessageFile))).Replace("\r\n", "\n");
        var start = text.IndexOf("INVITE sip:", StringComparison.Ordinal);
        var end = text.IndexOf("\n-----------------------------------------------", start, StringComparison.Ordinal);
        var message = text[start..end];
        var split = message.IndexOf("\n\n", StringComparison.Ordinal);
        var headers = message[..split].Split('\n').Skip(1)
            .Select(l => l.Split(':', 2))
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        return (headers, message[(split + 2)..]);
    }

    public static string Pidf(string sippMessageFile)
    {
        var (headers, body) = Read(sippMessageFile);
        var cid = SipMultipartBody.GeolocationUris(headers["Geolocation"]).First(u => u.StartsWith("cid:", StringComparison.Ordinal));
        Assert.True(SipMultipartBody.TryFindPidf(headers["Content-Type"], body, cid, out var pidf, out var error), error);
        return pidf!;
    }
}

