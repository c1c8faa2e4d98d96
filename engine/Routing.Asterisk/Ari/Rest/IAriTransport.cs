namespace Routing.Asterisk.Ari;

/// <summary>One ARI REST request as the typed client builds it. <see cref="Path"/> is relative to /ari/ and already
/// percent-encoded per segment, e.g. "channels/1795486382.2/answer".</summary>
public sealed record AriRequest(HttpMethod Method, string Path, AriQuery Query, byte[]? JsonBody)
{
    /// <summary>For errors and logs: no query (it may carry caller ids), never credentials.</summary>
    public string LogPath => "/ari/" + Path;
}

/// <summary>Asterisk's answer before any interpretation.</summary>
public sealed record AriRawResponse(int StatusCode, string? ReasonPhrase, byte[] Body);

/// <summary>
/// Puts ARI requests on a wire: HTTP (<see cref="AriHttpTransport"/>) or the event websocket
/// (<see cref="AriEventStream"/>, ARI REST over WebSocket). Throws <see cref="AriUnavailableException"/> when
/// Asterisk cannot be reached and honours the token (the client's hard timeout).
/// </summary>
public interface IAriTransport
{
    Task<AriRawResponse> SendAsync(AriRequest request, CancellationToken ct);
}
