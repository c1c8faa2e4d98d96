using Routing.Calls.Centre;
using Routing.Calls.Ports;
using Routing.Calls.Tests.Fakes;

namespace Routing.Calls.Tests;

/// <summary>
/// The call's transition table (<see cref="CallMachine"/>): what does not fit the state is refused clearly and
/// changes nothing, and the table itself refuses a configuration that would be ambiguous.
/// </summary>
public class CallMachineTests
{
    private const string Phone = "offer-calltaker-1-1795486382.2-1";

    [Fact]
    public async Task A_trigger_the_state_has_no_rule_for_is_recorded_on_that_call_naming_state_and_trigger_and_changes_nothing()
    {
        var h = new CallHarness(["direct", "fire"]);
        await h.StartAsync();
        var commands = h.Telephony.Commands.Count;

        await h.DigitAsync('5');

        var ignored = Assert.Single(h.Journal.EventsOf("input.ignored"));
        Assert.Equal(h.Call.CallId, ignored.CallId);
        Assert.Equal("Digit in Dialing", ignored.Detail);
        Assert.Equal(CallState.Dialing, h.State);
        Assert.Equal(commands, h.Telephony.Commands.Count);
    }

    [Fact]
    public async Task A_call_taker_action_not_allowed_in_the_calls_state_is_refused_naming_the_call_the_state_and_the_action()
    {
        var h = new CallHarness(withCentre: true);
        await h.StartAsync();
        await h.DigitAsync('1');
        await h.SendAsync(new CallInput.CallTakerAssigned("calltaker-1", "aigerim", Phone, "leg-offer1", TimeSpan.FromSeconds(3)));
        Assert.Equal(CallState.WithCallTaker, h.State);
        await h.SendAsync(new CallInput.LegEnded(Phone, 16, "Normal Clearing")); // the headset dropped: back in the queue
        Assert.Equal(CallState.OperatorQueue, h.State);

        var reply = new TaskCompletionSource<Refusal?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await h.SendAsync(new CallInput.OperatorRequest(new CallTakerAction.Hold(), "calltaker-1", "aigerim", reply));

        var refusal = await reply.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(refusal);
        Assert.Equal(RefusalKind.NotAllowed, refusal.Kind);
        Assert.Equal($"call {h.Call.CallId} is OperatorQueue without its call-taker; hold is allowed while its call-taker is with it", refusal.Message);
        Assert.Equal(CallState.OperatorQueue, h.State);
    }

    [Fact]
    public void A_state_with_two_rules_for_one_trigger_is_refused_naming_both()
    {
        var m = new CallMachine.Builder();
        var dialing = m.Configure(CallState.Dialing).Permit(CallTrigger.Bridged, CallState.Connected);

        var error = Assert.Throws<InvalidOperationException>(() => dialing.Ignore(CallTrigger.Bridged));

        Assert.Equal("Dialing has two rules for Bridged (Permit and Ignore)", error.Message);
    }

    [Fact]
    public void A_permit_into_the_same_state_is_refused()
    {
        var m = new CallMachine.Builder();

        var error = Assert.Throws<InvalidOperationException>(() => m.Configure(CallState.Queued).Permit(CallTrigger.Classified, CallState.Queued));

        Assert.Equal("Queued cannot permit Classified to itself; use Internal", error.Message);
    }

    [Fact]
    public void A_state_configured_twice_is_refused()
    {
        var m = new CallMachine.Builder();
        m.Configure(CallState.Ended);

        var error = Assert.Throws<InvalidOperationException>(() => m.Configure(CallState.Ended));

        Assert.Equal("Ended is configured twice", error.Message);
    }

    [Fact]
    public void Both_engine_shapes_configure_every_state_they_can_reach()
    {
        foreach (var machine in new[] { Call.MachineWithCentre, Call.MachineWithoutCentre })
        {
            var configured = machine.States.Select(s => s.State).ToHashSet();
            var reached = machine.States.SelectMany(s => s.Rules).Where(r => r.Kind == CallRuleKind.Permit).Select(r => r.Destination);
            Assert.All(reached, s => Assert.Contains(s, configured));
        }
    }
}
