using Routing.Calls.Callbacks;

namespace Routing.Calls.Tests;

public sealed class CallbackTaskTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

    private static CallbackTask Told(params (string Kind, string Detail)[] events) =>
        CallbackTask.Replay("call-1", "+77011234567", events.Select((e, i) => new CallbackEvent(e.Kind, e.Detail, T0.AddMinutes(i))))!;

    private static CallbackTask Apply(CallbackTask task, CallbackTransition transition, int minute)
    {
        task.Apply(new CallbackEvent(transition.Kind, transition.Detail, T0.AddMinutes(minute)));
        return task;
    }

    [Fact]
    public void A_lost_caller_opens_a_task_that_goes_attempted_then_reached_then_closed()
    {
        var task = Told((CallbackEventKinds.Required, "+77011234567 hung up in Queued"));
        Assert.Equal((CallbackState.Open, TimeSpan.FromMinutes(5)), (task.State, task.WaitingForAttempt(T0.AddMinutes(5))));

        Apply(task, task.Attempt("taker-7", "no answer"), 1);
        Apply(task, task.Attempt("taker-7", ""), 2);
        Assert.Equal((CallbackState.Attempted, 2, (TimeSpan?)null), (task.State, task.Attempts, task.WaitingForAttempt(T0.AddMinutes(5))));

        Apply(task, task.Reach("taker-7", "caller safe"), 3);
        Assert.Equal(CallbackState.Reached, task.State);

        var close = task.Close("taker-7", "caller safe, no emergency");
        Assert.Equal((CallbackEventKinds.Closed, "by taker-7: caller safe, no emergency"), (close.Kind, close.Detail));
        Assert.Equal(CallbackState.Closed, Apply(task, close, 4).State);
    }

    [Fact]
    public void Reached_without_an_attempt_is_refused_with_the_reason()
    {
        var task = Told((CallbackEventKinds.Required, "lost"));

        var refused = Assert.Throws<CallbackRefusedException>(() => task.Reach("taker-7", ""));

        Assert.Contains("no attempt on record", refused.Message);
        Assert.Contains("call-1", refused.Message);
    }

    [Fact]
    public void Nothing_follows_closed_and_closing_needs_a_reason_and_a_person()
    {
        var open = Told((CallbackEventKinds.Required, "lost"));
        Assert.Contains("needs a reason", Assert.Throws<CallbackRefusedException>(() => open.Close("taker-7", " ")).Message);
        Assert.Contains("who made it", Assert.Throws<CallbackRefusedException>(() => open.Attempt("", "x")).Message);

        var closed = Told((CallbackEventKinds.Required, "lost"), (CallbackEventKinds.Closed, "by supervisor: duplicate of call-0"));
        Assert.Contains("is closed (by supervisor: duplicate of call-0)", Assert.Throws<CallbackRefusedException>(() => closed.Attempt("taker-7", "")).Message);
        Assert.Throws<CallbackRefusedException>(() => closed.Close("taker-7", "again"));
        Assert.Throws<CallbackRefusedException>(() => closed.Reach("taker-7", ""));
    }

    [Fact]
    public void A_reached_task_is_not_attempted_again()
    {
        var reached = Told((CallbackEventKinds.Required, "lost"), (CallbackEventKinds.Attempted, "by engine"), (CallbackEventKinds.Reached, "by engine"));

        Assert.Contains("already reached", Assert.Throws<CallbackRefusedException>(() => reached.Attempt("taker-7", "")).Message);
    }

    [Fact]
    public void Replay_ignores_events_before_the_task_was_opened_and_out_of_order_ones()
    {
        Assert.Null(CallbackTask.Replay("call-1", "", [new CallbackEvent(CallbackEventKinds.Attempted, "stray", T0)]));

        var task = Told((CallbackEventKinds.Required, "first"), (CallbackEventKinds.Reached, "by x"), (CallbackEventKinds.Required, "second"));

        Assert.Equal((CallbackState.Open, "first"), (task.State, task.OpenReason));
    }

    [Fact]
    public void An_attempt_that_did_not_reach_the_caller_keeps_the_task_attempted_with_its_result_until_the_next_attempt()
    {
        var task = Told((CallbackEventKinds.Required, "lost"));
        Assert.Throws<CallbackRefusedException>(() => task.NotReach("calltaker-1", "busy"));

        Apply(task, task.Attempt("gulnara@calltaker-1", "from calltaker-1"), 1);
        var busy = task.NotReach("engine", "busy (cause 17)");
        Assert.Equal((CallbackEventKinds.NotReached, "by engine: busy (cause 17)"), (busy.Kind, busy.Detail));
        Apply(task, busy, 2);
        Assert.Equal((CallbackState.Attempted, "by engine: busy (cause 17)"), (task.State, task.LastResult));

        Apply(task, task.Attempt("gulnara@calltaker-1", "again"), 3);
        Assert.Null(task.LastResult);
        Assert.Equal(2, task.Attempts);
    }
}
