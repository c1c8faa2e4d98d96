using Routing.Calls.Centre;

namespace Routing.Calls.Tests.Centre;

/// <summary>Max wait per group, overflow to the national group, and the hand-over to the dialplan fallback.</summary>
public class OverflowTests
{
    /// <summary>ct-1 (almaty) and ct-6 (national) both on calls.</summary>
    private static CentreHarness AllBusy(Action<CentreOptions>? configure = null)
    {
        var h = new CentreHarness(configure);
        h.Staff("ct-1", "ct-6");
        h.Enqueue("busy-1");
        h.Ok(c => c.OfferAnswered("busy-1", "ct-1"));
        h.Enqueue("busy-6", region: "nowhere");
        h.Ok(c => c.OfferAnswered("busy-6", "ct-6"));
        return h;
    }

    [Fact]
    public void After_its_groups_max_wait_a_call_overflows_to_the_national_group_and_is_offered_there()
    {
        var h = AllBusy();
        h.Enqueue("a");
        Assert.Empty(h.Seconds(29).OfType<OverflowCall>());
        Assert.Equal([new OverflowCall("a", "almaty", "national", "max-wait")], h.Seconds(1).OfType<OverflowCall>());
        Assert.Equal(["almaty", "national"], h.Centre.Snapshot().Waiting.Single().Groups);

        h.Ok(c => c.CallEnded("busy-6"));
        Assert.Equal(["a→ct-6"], CentreHarness.Offers(h.Seconds(10)));
    }

    [Fact]
    public void An_overflowed_call_may_still_be_answered_by_its_home_group()
    {
        var h = AllBusy();
        h.Enqueue("a");
        h.Seconds(30);
        h.Ok(c => c.CallEnded("busy-1"));
        Assert.Equal(["a→ct-1"], CentreHarness.Offers(h.Seconds(10)));
    }

    [Fact]
    public void After_the_last_groups_max_wait_the_call_is_handed_to_the_dialplan_fallback()
    {
        var h = AllBusy();
        h.Enqueue("a");
        h.Seconds(30);
        Assert.Empty(h.Seconds(59).OfType<HandToFallback>());
        Assert.Equal([new HandToFallback("a", "max-wait")], h.Seconds(1).OfType<HandToFallback>());
        Assert.Empty(h.WaitingOrder());
        Assert.Equal(0, h.Centre.WaitingCount);
    }

    [Fact]
    public void A_call_whose_group_has_nobody_staffed_overflows_at_once()
    {
        var h = new CentreHarness();
        h.Staff("ct-6");
        var decisions = h.Enqueue("a");
        Assert.Equal(new OverflowCall("a", "almaty", "national", "no-one-staffed"), decisions.OfType<OverflowCall>().Single());
        Assert.Equal(["a→ct-6"], CentreHarness.Offers(decisions));
    }

    [Fact]
    public void A_caller_is_never_refused_with_nobody_logged_in_the_call_goes_to_the_fallback_at_once()
    {
        var h = new CentreHarness();
        var result = h.Do(c => c.Enqueue(new QueueRequest("a", CallEntry.Emergency112, "almaty", "kk")));
        Assert.True(result.Accepted);
        Assert.Equal(
            [new OverflowCall("a", "almaty", "national", "no-one-staffed"), new HandToFallback("a", "no-one-staffed")],
            result.Decisions);
    }

    [Fact]
    public void Paused_call_takers_do_not_count_as_staffed()
    {
        var h = new CentreHarness();
        h.Staff("ct-1", "ct-6");
        h.Ok(c => c.Pause("ct-1", "break"));
        Assert.Equal(["a→ct-6"], CentreHarness.Offers(h.Enqueue("a")));
    }

    [Fact]
    public void When_the_last_staffed_call_taker_of_a_group_logs_out_its_waiting_calls_overflow()
    {
        var h = AllBusy();
        h.Enqueue("a");
        h.Ok(c => c.CallEnded("busy-1"));
        var decisions = h.Ok(c => c.Logout("ct-1"));
        Assert.Equal([new OverflowCall("a", "almaty", "national", "no-one-staffed")], decisions.OfType<OverflowCall>());
    }

    [Fact]
    public void When_a_device_goes_unreachable_and_nobody_else_is_staffed_the_waiting_call_goes_to_the_fallback()
    {
        var h = new CentreHarness();
        h.Staff("ct-4", "ct-5");
        h.Enqueue("busy", region: "shymkent");
        h.Ok(c => c.OfferAnswered("busy", "ct-4"));
        h.Ok(c => c.Pause("ct-5", "break"));
        h.Enqueue("a", region: "shymkent");
        h.Ok(c => c.DeviceReachability("ct-4", false));
        Assert.Equal(CallTakerState.OnCall, h.StateOf("ct-4"));
        Assert.Contains(new HandToFallback("a", "no-one-staffed"), h.All);
    }

    [Fact]
    public void A_call_ringing_a_call_taker_at_its_last_max_wait_is_not_pulled_away_mid_ring()
    {
        var h = new CentreHarness(o => o.WrapUp = TimeSpan.Zero);
        h.Staff("ct-6");
        h.Enqueue("busy", region: "nowhere");
        h.Ok(c => c.OfferAnswered("busy", "ct-6"));
        h.Enqueue("a", region: "nowhere");
        h.Seconds(50);
        h.Ok(c => c.CallEnded("busy"));           // a rings ct-6 until 65 s
        Assert.Empty(h.Seconds(10).OfType<HandToFallback>());
        h.Seconds(2);
        Assert.Contains(h.Ok(c => c.OfferAnswered("a", "ct-6")), d => d is CallAnswered { CallId: "a" });
    }

    [Fact]
    public void A_call_ringing_at_its_last_max_wait_goes_to_the_fallback_when_the_offer_is_not_answered()
    {
        var h = new CentreHarness(o => o.WrapUp = TimeSpan.Zero);
        h.Staff("ct-6");
        h.Enqueue("busy", region: "nowhere");
        h.Ok(c => c.OfferAnswered("busy", "ct-6"));
        h.Enqueue("a", region: "nowhere");
        h.Seconds(50);
        h.Ok(c => c.CallEnded("busy"));
        var decisions = h.Seconds(15);
        Assert.Contains(new WithdrawOffer("a", "ct-6", "no-answer"), decisions);
        Assert.Single(decisions.OfType<HandToFallback>(), d => d.CallId == "a");
    }
}
