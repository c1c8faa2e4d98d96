namespace Routing.Simulator;

/// <summary>A MESSAGE the app asked Asterisk to send (ARI sendMessage). <paramref name="Endpoint"/> is set for the
/// per-endpoint form; <paramref name="Variables"/> become SIP headers (X-Incident-Id in the trace).</summary>
public sealed record SentTextMessage(string? Endpoint, string To, string From, string Body, IReadOnlyDictionary<string, string> Variables, DateTimeOffset At);

/// <summary>A MESSAGE the simulated <c>[messages-app]</c> forwarded itself because the engine's heartbeat was stale
/// (<see cref="DialplanOptions.TextHeartbeatStaleSeconds"/>), with the heartbeat it found.</summary>
public sealed record ForwardedTextMessage(string Endpoint, string From, string Body, DateTimeOffset At, long Heartbeat);

/// <summary>What became of a MESSAGE sent into the simulated Asterisk.</summary>
public enum TextDelivery
{
    /// <summary>No endpoint matches the sender: Asterisk rejects it, no dialplan, no event.</summary>
    NoEndpoint,

    /// <summary>The endpoint's message_context ran, but no app is subscribed to the endpoint: no ARI event (message #1 of the trace).</summary>
    DialplanOnly,

    /// <summary>TextMessageReceived went to at least one subscribed app (and the dialplan ran too).</summary>
    ToApp,
}
