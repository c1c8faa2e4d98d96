using Routing.Calls.Ports;
using Routing.Calls.Tests.Fakes;

namespace Routing.Calls.Tests;

/// <summary>A hang-up in every state ends the call with the right explicit outcome, exactly once.</summary>
public class CallHangUpTests
{
    private const string Caller = CallHarness.CallerChannel;

    /// <summary>Drives a fresh call into <paramref name="state"/> through its real inputs.</summary>
    private static async Task<CallHarness> CallIn(CallState state)
    {
        CallHarness h;
        switch (state)
        {
            case CallState.Classifying:
                h = new CallHarness();
                await h.StartAsync();
                break;
            case CallState.Dialing:
                h = new CallHarness(["direct", "fire"]);
                await h.StartAsync();
                break;
            case CallState.Overflow:
                h = new CallHarness(["direct", "fire"]);
                await h.StartAsync();
                await h.LegBusyAsync();
                await h.LegBusyAsync();
                break;
            case CallState.OperatorQueue:
                h = new CallHarness(["sos", "unknown-pole"], callerNumber: "+77001112233");
                await h.StartAsync();
                break;
            case CallState.Connected:
                h = new CallHarness(["direct", "fire"]);
                await h.StartAsync();
                await h.AnswerLegAsync();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(state), state, "not a resting state");
        }
        Assert.Equal(state, h.State);
        return h;
    }

    [Theory]
    [InlineData(CallState.Classifying, CallOutcome.AbandonedInIvr)]
    [InlineData(CallState.Dialing, CallOutcome.AbandonedInQueue)]
    [InlineData(CallState.Overflow, CallOutcome.AbandonedInQueue)]
    [InlineData(CallState.OperatorQueue, CallOutcome.AbandonedInQueue)]
    [InlineData(CallState.Connected, CallOutcome.Completed)]
    public async Task A_caller_hanging_up_in_a_resting_state_gets_its_outcome_once_and_duplicates_are_ignored(CallState state, CallOutcome outcome)
    {
        var h = await CallIn(state);
        // Asterisk reports one hang-up three times: ChannelHangupRequest, StasisEnd, ChannelDestroyed.
        await h.SendAsync(new CallInput.CallerHungUp(16), new CallInput.CallerHungUp(16), new CallInput.CallerHungUp(null));
        await h.EndedAsync();

        Assert.Equal([outcome.ToString()], h.Outcomes);
        Assert.Equal(outcome, Assert.Single(h.Observer.Ended).Outcome);
        Assert.Equal($"{state} -> Ended", h.Journal.EventsOf("state")[^1].Detail);
        Assert.Empty(h.Journal.EventsOf("input.ignored"));
        Assert.DoesNotContain(h.Telephony.Commands, c => c.StartsWith($"hangup {Caller}", StringComparison.Ordinal));
        Assert.DoesNotContain(h.Telephony.Commands, c => c.StartsWith("continue", StringComparison.Ordinal));
        var callbacks = h.Journal.EventsOf("callback.required");
        if (outcome == CallOutcome.Completed) Assert.Empty(callbacks);
        else Assert.Contains(h.Call.Classification.CallerNumber, Assert.Single(callbacks).Detail);
    }

    [Theory]
    [InlineData(CallState.Dialing)]
    [InlineData(CallState.Overflow)]
    [InlineData(CallState.OperatorQueue)]
    [InlineData(CallState.Connected)]
    public async Task Hanging_up_while_a_leg_is_up_hangs_the_leg_up_and_destroys_the_bridge(CallState state)
    {
        var h = await CallIn(state);
        var leg = h.LastLeg;
        await h.HangUpAsync();
        await h.EndedAsync();
        Assert.Contains($"hangup {leg} Normal", h.Telephony.Commands);
        Assert.Equal($"destroyBridge {h.Call.CallId}", h.Telephony.Commands[^1]);
    }

    [Fact]
    public async Task A_caller_gone_before_the_answer_abandoned_in_the_IVR()
    {
        // Arrived: Asterisk answers 404 because the channel is already gone.
        var h = new CallHarness(setup: t => t.Fail("answer", resourceGone: true));
        await h.StartAsync();
        await h.EndedAsync();
        Assert.Equal(["AbandonedInIvr"], h.Outcomes);
        Assert.Equal("Arrived -> Ended", h.Journal.EventsOf("state")[^1].Detail);
        Assert.Single(h.Journal.EventsOf("callback.required"));
    }

    [Fact]
    public async Task A_caller_gone_when_the_connecting_prompt_is_due_abandoned_in_the_queue_and_the_ringing_leg_released()
    {
        // Dialing: the caller's channel vanishes before the agency answers; we learn it from the prompt.
        var h = new CallHarness(["direct", "gas"], setup: t => t.Fail("play", resourceGone: true));
        await h.StartAsync();
        await h.AdvanceAsync(h.Options.Timers.ConnectingPrompt);
        await h.EndedAsync();
        Assert.Equal(["AbandonedInQueue"], h.Outcomes);
        Assert.Equal("Dialing -> Ended", h.Journal.EventsOf("state")[^1].Detail);
        Assert.Contains($"hangup {Assert.Single(h.Telephony.Dials).LegChannelId} Normal", h.Telephony.Commands);
    }

    /// <summary>Answered and Queued are passed through inside one transition, so no input can land
    /// there; the outcome rule still covers them, and so does the machine.</summary>
    [Theory]
    [InlineData(CallState.Arrived, CallOutcome.AbandonedInIvr)]
    [InlineData(CallState.Answered, CallOutcome.AbandonedInIvr)]
    [InlineData(CallState.Classifying, CallOutcome.AbandonedInIvr)]
    [InlineData(CallState.Queued, CallOutcome.AbandonedInQueue)]
    [InlineData(CallState.Dialing, CallOutcome.AbandonedInQueue)]
    [InlineData(CallState.Overflow, CallOutcome.AbandonedInQueue)]
    [InlineData(CallState.OperatorQueue, CallOutcome.AbandonedInQueue)]
    [InlineData(CallState.Connected, CallOutcome.Completed)]
    public void Every_state_but_Ended_has_an_explicit_outcome_for_a_caller_hang_up(CallState state, CallOutcome outcome)
    {
        Assert.Equal(outcome, Call.OutcomeFor(state, CallTrigger.CallerHungUp));
        Assert.Contains($"\"{state}\" -> \"Ended\" [style=\"solid\", label=\"CallerHungUp\"]", CallStateDiagram.ToDot());
    }
}
