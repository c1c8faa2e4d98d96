namespace Routing.Asterisk.Ari;

/// <summary>One item of the ARI event stream: an Asterisk event, or a marker the stream adds
/// (connected, disconnected, frame rejected, events lost) so the consumer sees everything in order.</summary>
public abstract record AriMessage;

/// <summary>The websocket is open; <paramref name="Generation"/> counts connections since start (1, 2, ...).
/// From generation 2 on, events during the gap were lost: reconcile with GET /applications/{app}, /channels, /bridges.</summary>
public sealed record AriConnected(long Generation) : AriMessage;

/// <summary>The websocket of <paramref name="Generation"/> closed or failed.</summary>
public sealed record AriDisconnected(long Generation, string Reason) : AriMessage;

/// <summary>A connect attempt failed. <paramref name="StatusCode"/> is the HTTP status of a refused handshake
/// (401 wrong credentials, 400 bad app name), or null for a network error.</summary>
public sealed record AriConnectFailed(int? StatusCode, string Reason, TimeSpan RetryIn) : AriMessage;

/// <summary>A websocket message that could not be parsed; the stream goes on.</summary>
public sealed record AriFrameRejected(string Error, string Excerpt) : AriMessage;

/// <summary>The consumer fell behind and <paramref name="Count"/> items were dropped before this point: reconcile.</summary>
public sealed record AriEventsLost(long Count) : AriMessage;
