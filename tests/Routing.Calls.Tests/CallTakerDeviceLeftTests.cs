using Routing.Calls.Ports;
using Routing.Calls.Tests.Fakes;

namespace Routing.Calls.Tests;

/// <summary>
/// A call-taker's phone that leaves an unclassified call: the caller waits again, and the centre is told how long
/// the phone had been with the caller (null: never bridged), so it can tell a phone that failed as it was put
/// through (paused, caller keeps its place) from a call-taker who left after talking (requeued).
/// </summary>
public class CallTakerDeviceLeftTests
{
    private const string Phone = "offer-calltaker-1-1795486382.2-1";

    /// <summary>A 112 caller who chose a language during the human-first prompt, waiting in the centre's queue.</summary>
    private static async Task<CallHarness> WaitingAsync()
    {
        var h = new CallHarness(withCentre: true);
        await h.StartAsync();
        await h.DigitAsync('1');
        Assert.Equal(CallState.OperatorQueue, h.State);
        Assert.Equal(["enqueue almaty"], h.Centre!.Told);
        return h;
    }

    private static Task AssignAsync(CallHarness h) =>
        h.SendAsync(new CallInput.CallTakerAssigned("calltaker-1", "aigerim", Phone, "leg-offer1", TimeSpan.FromSeconds(3)));

    [Fact]
    public async Task A_phone_gone_before_it_could_be_bridged_is_reported_as_never_with_the_caller_and_the_caller_waits_again()
    {
        var h = await WaitingAsync();
        h.Telephony.Fail($"addToBridge {h.Call.CallId} {Phone}", resourceGone: true);

        await AssignAsync(h);

        Assert.Equal(["enqueue almaty", "deviceLeft calltaker-1 null"], h.Centre!.Told);
        Assert.True(h.IndexOf("journal:calltaker.lost calltaker-1 could not be bridged (Gone)") < h.IndexOf("centre:deviceLeft calltaker-1 null"), string.Join("\n", h.Log.Entries));
        Assert.Equal(CallState.OperatorQueue, h.State);
        Assert.DoesNotContain($"hangup {Phone} Normal", h.Telephony.Commands); // already gone: nothing to hang up
    }

    [Fact]
    public async Task A_phone_that_hangs_up_after_being_bridged_is_reported_with_how_long_it_was_with_the_caller()
    {
        var h = await WaitingAsync();
        await AssignAsync(h);
        Assert.Equal(CallState.WithCallTaker, h.State);

        await h.AdvanceAsync(TimeSpan.FromSeconds(1.5));
        await h.SendAsync(new CallInput.LegEnded(Phone, 16, "Normal Clearing"));

        Assert.Equal(["enqueue almaty", "deviceLeft calltaker-1 00:00:01.5000000"], h.Centre!.Told);
        Assert.Equal(CallState.OperatorQueue, h.State);
    }

    [Fact]
    public async Task Back_in_the_queue_the_call_is_not_enqueued_a_second_time_and_a_second_phone_can_take_it()
    {
        var h = await WaitingAsync();
        h.Telephony.Fail($"addToBridge {h.Call.CallId} {Phone}", resourceGone: true, times: 1);
        await AssignAsync(h);

        await h.SendAsync(new CallInput.CallTakerAssigned("calltaker-2", "boris", "offer-calltaker-2-1795486382.2-2", "leg-offer2", TimeSpan.FromSeconds(4)));

        Assert.Equal(["enqueue almaty", "deviceLeft calltaker-1 null"], h.Centre!.Told);
        Assert.Equal(CallState.WithCallTaker, h.State);
        Assert.Equal("calltaker-2", h.Call.Snapshot.CallTaker);
    }
}
