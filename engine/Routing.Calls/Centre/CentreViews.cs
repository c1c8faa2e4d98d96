namespace Routing.Calls.Centre;

/// <summary>A position as the console, metrics and API see it (immutable copy).</summary>
/// <param name="IdleSince">When it last became Available (longest-idle order); null unless Available.</param>
/// <param name="CallId">The call offered to it (Offered) or it is on (OnCall, WrapUp).</param>
public sealed record CallTakerView(
    string Id,
    string Endpoint,
    string Group,
    IReadOnlyList<string> Languages,
    CallTakerState State,
    string? PauseReason,
    bool Reachable,
    DateTimeOffset StateSince,
    DateTimeOffset? IdleSince,
    string? CallId);

/// <summary>A call waiting in the queue.</summary>
/// <param name="Groups">Groups it may be answered by, home group first, then the overflow groups reached.</param>
/// <param name="Position">1-based place among the calls waiting for its latest group.</param>
/// <param name="FirstQueuedAt">When it first joined the queue (answer time is counted from here).</param>
/// <param name="OfferedTo">Positions currently ringing for it (empty when simply waiting).</param>
public sealed record WaitingCallView(
    string CallId,
    CallPriority Priority,
    string? Language,
    IReadOnlyList<string> Groups,
    int Position,
    DateTimeOffset FirstQueuedAt,
    DateTimeOffset QueuedAt,
    IReadOnlyList<string> OfferedTo);

/// <summary>The whole centre at one instant, in queue order.</summary>
public sealed record CentreSnapshot(DateTimeOffset At, IReadOnlyList<CallTakerView> CallTakers, IReadOnlyList<WaitingCallView> Waiting);

/// <summary>A call joining the queue.</summary>
/// <param name="CallId">The engine's call id.</param>
/// <param name="Entry">How it came in; decides priority and group through <see cref="CentreOptions.Entries"/>.</param>
/// <param name="Region">The caller's routing region (picks the home group).</param>
/// <param name="Language">Language the caller chose (kk, ru, en) or null when none was chosen.</param>
/// <param name="LifeInDanger">Raises the call to <see cref="CallPriority.Critical"/> whatever its entry.</param>
public sealed record QueueRequest(string CallId, CallEntry Entry, string Region, string? Language, bool LifeInDanger = false);
