using System.Net;
using System.Text;

namespace Routing.Engine.Location;

/// <summary>
/// Dereferences a by-reference location (<c>Geolocation: &lt;https://…&gt;</c>, RFC 6442) for the engine, never for
/// Asterisk: only hosts on <see cref="LocationIntakeOptions.FetchAllowedHosts"/>, https only (unless a lab allows
/// http), no redirects (a redirect could point anywhere), bounded in time and size. A caller controls the URI, so
/// anything else is a refusal with its reason, not a request.
/// </summary>
internal sealed class PidfFetcher(HttpClient http, LocationIntakeOptions options)
{
    public static HttpClient CreateClient(LocationIntakeOptions options) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = options.FetchTimeout, UseCookies = false, UseProxy = false })
        {
            Timeout = options.FetchTimeout,
            MaxResponseContentBufferSize = options.MaxPidfBytes,
        };

    /// <summary>Why this URI will not be fetched, or null when it may be.</summary>
    public string? Refusal(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed)) return $"'{Clip(uri)}' is not an absolute URI";
        var schemeOk = parsed.Scheme == Uri.UriSchemeHttps || (options.AllowPlainHttpFetch && parsed.Scheme == Uri.UriSchemeHttp);
        if (!schemeOk) return $"scheme {Clip(parsed.Scheme)} is not fetched (https only)";
        if (!string.IsNullOrEmpty(parsed.UserInfo)) return "a URI with user information is not fetched";
        if (!options.FetchAllowedHosts.Contains(parsed.Host, StringComparer.OrdinalIgnoreCase))
            return $"host {Clip(parsed.Host)} is not in LocationIntake:FetchAllowedHosts";
        return null;
    }

    /// <summary>The document, or why there is none. Never throws for what the network does.</summary>
    public async Task<(string? Document, string? Error)> FetchAsync(string uri, CancellationToken cancellationToken)
    {
        if (Refusal(uri) is { } refusal) return (null, refusal);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Accept.ParseAdd("application/pidf+xml");
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK) return (null, $"the location server answered {(int)response.StatusCode}");
            if (response.Content.Headers.ContentLength > options.MaxPidfBytes)
                return (null, $"the location document is {response.Content.Headers.ContentLength} bytes, more than LocationIntake:MaxPidfBytes {options.MaxPidfBytes}");
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var (bytes, complete) = await BoundedBody.ReadAsync(body, options.MaxPidfBytes, cancellationToken).ConfigureAwait(false);
            if (!complete) return (null, $"the location document is more than LocationIntake:MaxPidfBytes {options.MaxPidfBytes} bytes");
            return (Encoding.UTF8.GetString(bytes), null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException && !cancellationToken.IsCancellationRequested)
        {
            return (null, ex is TaskCanceledException ? $"no answer within LocationIntake:FetchTimeout {options.FetchTimeout}" : $"fetch failed: {Clip(ex.Message)}");
        }
    }

    private static string Clip(string text) => new(text.Take(80).Where(c => !char.IsControl(c)).ToArray());
}

/// <summary>Reads at most a bound of a body: what a hostile sender controls is never read whole first.</summary>
internal static class BoundedBody
{
    /// <returns>The bytes, and false when the body was longer than <paramref name="max"/> (the bytes are then cut).</returns>
    public static async Task<(byte[] Bytes, bool Complete)> ReadAsync(Stream body, int max, CancellationToken cancellationToken)
    {
        var buffer = new byte[max + 1];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await body.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0) break;
            read += n;
        }

        return read > max ? (buffer[..max], false) : (buffer[..read], true);
    }
}
