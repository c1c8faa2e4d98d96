namespace Routing.Asterisk.Ari;

/// <summary>A snapshot of the event stream for diagnostics (admin API, health checks, timeout messages).</summary>
public sealed record AriStreamState(
    bool IsConnected,
    long Generation,
    string? LastError,
    DateTimeOffset? LastReadAt,
    DateTimeOffset? ConnectedAt,
    int ConsecutiveFailures,
    long EventsReceived,
    long EventsLost,
    long FramesRejected);
