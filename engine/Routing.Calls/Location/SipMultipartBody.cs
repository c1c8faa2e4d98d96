using System.Text.RegularExpressions;

namespace Routing.Calls.Location;

/// <summary>
/// Finds the PIDF-LO a SIP request carries by value (RFC 6442): the <c>Geolocation</c> header names a
/// <c>cid:</c> URI, and the <c>multipart/mixed</c> body holds a part whose <c>Content-ID</c> matches it.
/// Used where the whole body reaches the engine (the SBC in front of Asterisk hands it over, see
/// dialplans/README.md), so Asterisk never parses the caller's XML itself.
/// </summary>
public static partial class SipMultipartBody
{
    /// <summary>The <c>cid:</c> and <c>http(s):</c> URIs of a Geolocation header value, in order.</summary>
    public static IReadOnlyList<string> GeolocationUris(string? headerValue)
    {
        if (string.IsNullOrWhiteSpace(headerValue)) return [];
        return UriInAngles().Matches(headerValue).Select(m => m.Groups[1].Value.Trim()).Where(u => u.Length > 0).Take(8).ToArray();
    }

    /// <summary>The body of the part with <paramref name="contentId"/> (without the cid: prefix or
    /// angle brackets), or the first application/pidf+xml part when no id is given.</summary>
    public static bool TryFindPidf(string? contentType, string? body, string? contentId, out string? pidf, out string? error)
    {
        pidf = null;
        if (string.IsNullOrEmpty(body))
        {
            error = "the request has no body";
            return false;
        }

        if (contentType is not null && contentType.StartsWith("application/pidf+xml", StringComparison.OrdinalIgnoreCase))
        {
            pidf = body;
            error = null;
            return true;
        }

        var boundary = contentType is null ? null : Boundary().Match(contentType) is { Success: true } m ? m.Groups[1].Value.Trim('"') : null;
        if (boundary is null)
        {
            error = $"Content-Type '{Routing.CallerText.CleanText(contentType, 80)}' is neither multipart/mixed with a boundary nor application/pidf+xml";
            return false;
        }

        var wanted = contentId is null ? null : contentId.StartsWith("cid:", StringComparison.OrdinalIgnoreCase) ? contentId[4..] : contentId;
        var delimiter = "--" + boundary;
        foreach (var part in body.Split(delimiter).Skip(1))
        {
            if (part.StartsWith("--", StringComparison.Ordinal)) break; // the closing delimiter
            var normalised = part.Replace("\r\n", "\n");
            var split = normalised.IndexOf("\n\n", 1, StringComparison.Ordinal);
            if (split < 0) continue;
            var headers = normalised[..split];
            var partBody = normalised[(split + 2)..].TrimEnd('\n');
            var type = Header(headers, "Content-Type");
            var id = Header(headers, "Content-ID")?.Trim('<', '>', ' ');
            var isPidf = type?.StartsWith("application/pidf+xml", StringComparison.OrdinalIgnoreCase) == true;
            if (wanted is null ? isPidf : string.Equals(id, wanted, StringComparison.Ordinal))
            {
                if (!isPidf)
                {
                    error = $"the part with Content-ID {Routing.CallerText.CleanText(wanted, 80)} is {Routing.CallerText.CleanText(type, 40)}, not application/pidf+xml";
                    return false;
                }

                pidf = partBody;
                error = null;
                return true;
            }
        }

        error = wanted is null ? "no application/pidf+xml part in the body" : $"no body part has Content-ID {Routing.CallerText.CleanText(wanted, 80)}";
        return false;
    }

    private static string? Header(string headers, string name)
    {
        foreach (var line in headers.Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon > 0 && line[..colon].Trim().Equals(name, StringComparison.OrdinalIgnoreCase)) return line[(colon + 1)..].Trim();
        }

        return null;
    }

    [GeneratedRegex("<([^<>]{1,512})>")]
    private static partial Regex UriInAngles();

    [GeneratedRegex("boundary=(\"[^\"]{1,70}\"|[^;\\s]{1,70})", RegexOptions.IgnoreCase)]
    private static partial Regex Boundary();
}
