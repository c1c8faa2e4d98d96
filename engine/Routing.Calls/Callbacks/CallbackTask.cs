namespace Routing.Calls.Callbacks;

public enum CallbackState { Open, Attempted, Reached, Closed }

/// <summary>The ledger event kinds of a callback task: each transition is a new event, never an update.</summary>
public static class CallbackEventKinds
{
    /// <summary>Written by the call when the caller was lost (abandoned, or lost while the engine was down).</summary>
    public const string Required = "callback.required";

    public const string Attempted = "callback.attempted";

    public const string Reached = "callback.reached";

    public const string Closed = "callback.closed";

    /// <summary>An attempt ended without reaching the caller (busy, no answer, the call-taker's phone did not
    /// answer): the task stays Attempted, with this as its last result.</summary>
    public const string NotReached = "callback.not-reached";

    public static IReadOnlyList<string> All { get; } = [Required, Attempted, Reached, Closed, NotReached];
}

/// <summary>One event of a task as recorded: kind, detail, when.</summary>
public sealed record CallbackEvent(string Kind, string Detail, DateTimeOffset At);

/// <summary>A transition the ledger must record before it counts (write before act).</summary>
public sealed record CallbackTransition(string Kind, string Detail);

/// <summary>A transition not allowed in the task's state: the message says which and why.</summary>
public sealed class CallbackRefusedException(string message) : InvalidOperationException(message);

/// <summary>
/// A call back owed to a caller we lost (no I/O). Its state is the fold of its ledger events:
/// Open (callback.required) → Attempted (one or more attempts) → Reached, and Closed with a reason
/// from any state but Closed. Reached needs an attempt first; nothing follows Closed.
/// </summary>
public sealed class CallbackTask
{
    private CallbackTask(string callId, string callerNumber, DateTimeOffset openedAt, string reason)
    {
        CallId = callId;
        CallerNumber = callerNumber;
        OpenedAt = openedAt;
        OpenReason = reason;
    }

    public string CallId { get; }

    public string CallerNumber { get; }

    public DateTimeOffset OpenedAt { get; }

    public string OpenReason { get; }

    public CallbackState State { get; private set; } = CallbackState.Open;

    public int Attempts { get; private set; }

    public DateTimeOffset? LastAttemptAt { get; private set; }

    public DateTimeOffset? ReachedAt { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    public string? ClosedReason { get; private set; }

    /// <summary>What the last attempt came to when it did not reach the caller ("busy (cause 17)"), else null.</summary>
    public string? LastResult { get; private set; }

    /// <summary>The task told by its events in ledger order; null if none is callback.required.</summary>
    public static CallbackTask? Replay(string callId, string callerNumber, IEnumerable<CallbackEvent> events)
    {
        CallbackTask? task = null;
        foreach (var e in events)
        {
            if (task is null)
            {
                if (e.Kind == CallbackEventKinds.Required)
                {
                    task = new CallbackTask(callId, callerNumber, e.At, e.Detail);
                }

                continue;
            }

            task.Apply(e);
        }

        return task;
    }

    /// <summary>How long the task has waited for its first attempt, or null once attempted or closed.</summary>
    public TimeSpan? WaitingForAttempt(DateTimeOffset now) => State == CallbackState.Open ? now - OpenedAt : null;

    public CallbackTransition Attempt(string by, string note)
    {
        RefuseWhenClosed("record an attempt");
        if (State == CallbackState.Reached)
        {
            throw new CallbackRefusedException($"Callback task of call {CallId} already reached the caller; close it instead of attempting again.");
        }

        return new CallbackTransition(CallbackEventKinds.Attempted, Describe(by, note));
    }

    public CallbackTransition Reach(string by, string note)
    {
        RefuseWhenClosed("mark it reached");
        if (State == CallbackState.Open)
        {
            throw new CallbackRefusedException($"Callback task of call {CallId} has no attempt on record; record the attempt before marking the caller reached.");
        }

        if (State == CallbackState.Reached)
        {
            throw new CallbackRefusedException($"Callback task of call {CallId} is already reached.");
        }

        return new CallbackTransition(CallbackEventKinds.Reached, Describe(by, note));
    }

    /// <summary>The attempt under way did not reach the caller; allowed only while Attempted.</summary>
    public CallbackTransition NotReach(string by, string note)
    {
        RefuseWhenClosed("record an attempt's result");
        if (State != CallbackState.Attempted)
        {
            throw new CallbackRefusedException($"Callback task of call {CallId} is {State}; only an attempted task can record that the caller was not reached.");
        }

        return new CallbackTransition(CallbackEventKinds.NotReached, Describe(by, note));
    }

    public CallbackTransition Close(string by, string reason)
    {
        RefuseWhenClosed("close it again");
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new CallbackRefusedException($"Closing the callback task of call {CallId} needs a reason.");
        }

        return new CallbackTransition(CallbackEventKinds.Closed, Describe(by, reason));
    }

    /// <summary>Applies a recorded event (replay, or a transition just written).</summary>
    public void Apply(CallbackEvent e)
    {
        switch (e.Kind)
        {
            case CallbackEventKinds.Attempted when State is CallbackState.Open or CallbackState.Attempted:
                State = CallbackState.Attempted;
                Attempts++;
                LastAttemptAt = e.At;
                LastResult = null;
                break;
            case CallbackEventKinds.NotReached when State == CallbackState.Attempted:
                LastResult = e.Detail;
                break;
            case CallbackEventKinds.Reached when State == CallbackState.Attempted:
                State = CallbackState.Reached;
                ReachedAt = e.At;
                break;
            case CallbackEventKinds.Closed when State != CallbackState.Closed:
                State = CallbackState.Closed;
                ClosedAt = e.At;
                ClosedReason = e.Detail;
                break;
            default:
                // A second callback.required (the call ended twice, or recovery and the call both
                // recorded it) or an out-of-order event changes nothing: the first story stands.
                break;
        }
    }

    private void RefuseWhenClosed(string what)
    {
        if (State == CallbackState.Closed)
        {
            throw new CallbackRefusedException($"Callback task of call {CallId} is closed ({ClosedReason}); cannot {what}.");
        }
    }

    private static string Describe(string by, string note)
    {
        if (string.IsNullOrWhiteSpace(by))
        {
            throw new CallbackRefusedException("A callback transition needs who made it ('by').");
        }

        return string.IsNullOrWhiteSpace(note) ? $"by {by.Trim()}" : $"by {by.Trim()}: {note.Trim()}";
    }
}
