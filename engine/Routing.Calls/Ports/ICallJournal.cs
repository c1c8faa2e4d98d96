namespace Routing.Calls.Ports;

/// <summary>
/// The call's record (implemented by the ledger). Append-only: a call, then its legs, then events.
/// The call awaits these before acting (write before act), but the implementation bounds how long
/// that can take so a slow database never holds a caller (ARCHITECTURE invariants 1 and 3).
/// </summary>
public interface ICallJournal
{
    ValueTask CallArrivedAsync(CallRecord call, CancellationToken cancellationToken);

    ValueTask LegPlannedAsync(LegRecord leg, CancellationToken cancellationToken);

    ValueTask AppendAsync(CallEventRecord callEvent, CancellationToken cancellationToken);
}

/// <param name="CallId">Our id for the call (not Asterisk's): a UUIDv7 string.</param>
/// <param name="CallerChannelId">Asterisk channel id of the caller.</param>
/// <param name="Entry">How it came in: <c>112</c>, <c>direct:fire</c>, <c>sos</c>.</param>
public sealed record CallRecord(
    string CallId,
    string CallerChannelId,
    string CallerNumber,
    string DialedNumber,
    string Entry,
    DateTimeOffset ArrivedAt);

/// <param name="Attempt">1 for the first leg of the call, then 2, 3, ...</param>
public sealed record LegRecord(
    string LegId,
    string CallId,
    string ChannelId,
    string Agency,
    string Region,
    string Trunk,
    string Endpoint,
    int Attempt,
    DateTimeOffset PlannedAt);

/// <param name="Kind">A stable, dotted name: <c>state</c>, <c>dtmf</c>, <c>classified</c>,
/// <c>leg.ringing</c>, <c>leg.answered</c>, <c>leg.ended</c>, <c>command.failed</c>, <c>outcome</c>.</param>
/// <param name="Detail">Short human-readable detail, e.g. <c>Dialing -> Connected</c> or <c>Completed</c>.</param>
public sealed record CallEventRecord(
    string CallId,
    string? LegId,
    DateTimeOffset At,
    string Kind,
    string Detail);
