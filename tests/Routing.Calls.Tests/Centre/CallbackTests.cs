using Routing.Calls.Centre;

namespace Routing.Calls.Tests.Centre;

/// <summary>A call-taker calling a lost caller back is busy with it: offered nothing until it ends, then wraps up.</summary>
public class CallbackTests
{
    [Fact]
    public void A_position_on_a_call_back_is_offered_nothing_and_wraps_up_when_it_ends()
    {
        var h = new CentreHarness();
        h.Staff("ct-1");
        h.Ok(c => c.StartCallback("ct-1", "cb-1"));
        Assert.Equal((CallTakerState.OnCall, "cb-1"), (h.StateOf("ct-1"), h.Centre.CallTaker("ct-1")!.CallId));

        Assert.Empty(CentreHarness.Offers(h.Enqueue("c1")));
        Assert.Equal(["c1"], h.WaitingOrder());

        var ended = h.Ok(c => c.CallEnded("cb-1"));
        Assert.Contains(ended.OfType<CallTakerChanged>(), d => d.From == CallTakerState.OnCall && d.To == CallTakerState.WrapUp && d.CallId == "cb-1");
        // The call back left no trace in the queue: the waiting caller is offered once the wrap-up is over.
        Assert.Equal(["c1"], h.WaitingOrder());
        Assert.Equal(["c1→ct-1"], CentreHarness.Offers(h.Seconds(10)));
    }

    [Fact]
    public void A_call_back_from_a_phone_that_is_not_registered_is_refused_and_changes_nothing()
    {
        var h = new CentreHarness();
        h.Staff("ct-1");
        h.Ok(c => c.DeviceReachability("ct-1", false));

        var refusal = h.Do(c => c.StartCallback("ct-1", "cb-1")).Refusal!;

        Assert.Equal(RefusalKind.NotAllowed, refusal.Kind);
        Assert.Equal("ct-1's phone is not reachable (not registered); a call back rings it first", refusal.Message);
        Assert.Equal(CallTakerState.Available, h.StateOf("ct-1"));
        Assert.Null(h.Centre.CallTaker("ct-1")!.CallId);
    }

    [Fact]
    public void A_call_back_id_already_in_the_centre_is_refused_as_invalid()
    {
        var h = new CentreHarness();
        h.Staff("ct-1", "ct-2");
        h.Ok(c => c.StartCallback("ct-1", "cb-1"));

        Assert.Equal(RefusalKind.Invalid, h.Do(c => c.StartCallback("ct-2", "cb-1")).Refusal!.Kind);
        Assert.Equal(CallTakerState.Available, h.StateOf("ct-2"));
    }
}
