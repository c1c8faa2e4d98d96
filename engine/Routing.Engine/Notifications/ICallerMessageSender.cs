namespace Routing.Engine.Notifications;

/// <summary>Sends one short text to a caller's number. Implementations: SIP MESSAGE through Asterisk to
/// the SMS gateway trunk (<see cref="AriSipMessageSender"/>), or an HTTP SMS gateway
/// (<see cref="HttpSmsGatewaySender"/>). A failure throws <see cref="CallerMessageException"/>.</summary>
public interface ICallerMessageSender
{
    string Name { get; }

    Task SendAsync(string number, string text, CancellationToken cancellationToken);
}

/// <param name="transient">True when a later attempt may succeed (timeout, 5xx, 429); false when the
/// gateway refused this message for good (4xx: bad number, bad request).</param>
public sealed class CallerMessageException(string message, bool transient, Exception? inner = null) : Exception(message, inner)
{
    public bool Transient { get; } = transient;
}
