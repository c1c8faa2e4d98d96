namespace Routing.Asterisk.Ari;

// ARI REST over WebSocket (events.json models RESTRequest / RESTResponse, Asterisk 20.14+/21.9+/22.4+).

/// <summary>Asterisk's answer to a <see cref="AriRestRequestMessage"/>, matched by <paramref name="RequestId"/>.
/// The event stream hands it to the waiting request and does not publish it.</summary>
public sealed record RESTResponse(
    string RequestId,
    int StatusCode,
    string ReasonPhrase = "",
    string? TransactionId = null,
    string? Uri = null,
    string? ContentType = null,
    string? MessageBody = null) : AriEvent;

/// <summary>A REST request sent over the event websocket. <paramref name="Uri"/> is relative to /ari/ (e.g.
/// "channels/1795486382.2/answer"); query parameters travel unencoded in <paramref name="QueryStrings"/>.</summary>
public sealed record AriRestRequestMessage(
    string TransactionId,
    string RequestId,
    string Method,
    string Uri,
    string? ContentType = null,
    IReadOnlyList<AriQueryStringParameter>? QueryStrings = null,
    string? MessageBody = null)
{
    public string Type { get; init; } = "RESTRequest";
}

public sealed record AriQueryStringParameter(string Name, string Value);
