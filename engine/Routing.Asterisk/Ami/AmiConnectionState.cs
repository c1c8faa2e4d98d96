namespace Routing.Asterisk.Ami;

public enum AmiConnectionStatus
{
    Disconnected,
    Connecting,
    Connected,
    Reconnecting,
    Closed,
}

/// <summary>A snapshot for diagnostics and for timeout messages.</summary>
public sealed record AmiConnectionState(
    AmiConnectionStatus Status,
    long Generation,
    string? Banner,
    string? LastError,
    DateTimeOffset? LastReadAt,
    int PendingActions,
    long UnsolicitedResponses,
    long MalformedFrames,
    long EventsLost);
