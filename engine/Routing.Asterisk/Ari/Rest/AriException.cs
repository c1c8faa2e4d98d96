using System.Net;

namespace Routing.Asterisk.Ari;

/// <summary>Asterisk answered a REST request with a non-2xx status. Carries Asterisk's own message
/// ({"message":...} or {"error":...}). Never contains credentials.</summary>
public class AriException : Exception
{
    public AriException(HttpStatusCode statusCode, string method, string path, string asteriskMessage)
        : base($"ARI {method} {path} failed: {(int)statusCode} {statusCode}: {asteriskMessage}")
    {
        StatusCode = statusCode;
        Method = method;
        Path = path;
        AsteriskMessage = asteriskMessage;
    }

    public HttpStatusCode StatusCode { get; }
    public string Method { get; }

    /// <summary>The request path without query string (queries may carry caller ids).</summary>
    public string Path { get; }

    public string AsteriskMessage { get; }

    /// <summary>The channel, bridge, playback or application is gone. Asterisk answers 400 "Channel not found"
    /// to addChannel with a gone channel, so that counts too.</summary>
    public bool IsNotFound =>
        StatusCode == HttpStatusCode.NotFound
        || (StatusCode == HttpStatusCode.BadRequest && AsteriskMessage.EndsWith("not found", StringComparison.OrdinalIgnoreCase));

    /// <summary>409 (answer/play/continue) or 422 (addChannel) "Channel not in Stasis application".</summary>
    public bool IsNotInStasis =>
        StatusCode is HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity
        && AsteriskMessage.Contains("not in Stasis", StringComparison.OrdinalIgnoreCase);

    /// <summary>A channel or bridge id we chose is already in use. (Asterisk may also answer a stale 409 on a
    /// keep-alive connection for an unrelated failed originate; see ari-errors.jsonl.)</summary>
    public bool IsAlreadyExists =>
        StatusCode == HttpStatusCode.Conflict && AsteriskMessage.Contains("already exists", StringComparison.OrdinalIgnoreCase);

    public bool IsUnauthorized => StatusCode == HttpStatusCode.Unauthorized;
}

/// <summary>A REST request got no complete answer within <see cref="AriOptions.RequestTimeout"/>.</summary>
public sealed class AriTimeoutException : TimeoutException
{
    public AriTimeoutException(string method, string path, TimeSpan elapsed, TimeSpan timeout, int inFlight, int maxConnections)
        : base($"ARI {method} {path} got no answer within {timeout.TotalMilliseconds:0} ms (elapsed {elapsed.TotalMilliseconds:0} ms, " +
               $"{inFlight} request(s) in flight on at most {maxConnections} connection(s))")
    {
        Method = method;
        Path = path;
        Elapsed = elapsed;
        InFlight = inFlight;
    }

    public string Method { get; }
    public string Path { get; }
    public TimeSpan Elapsed { get; }
    public int InFlight { get; }
}
