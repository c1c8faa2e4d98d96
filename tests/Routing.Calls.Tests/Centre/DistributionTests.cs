using Routing.Calls.Centre;

namespace Routing.Calls.Tests.Centre;

/// <summary>Who is offered a call: longest idle, ring-all, language, reachability, no-answer, wrap-up.</summary>
public class DistributionTests
{
    [Fact]
    public void Longest_idle_the_call_taker_available_longest_is_offered_the_call()
    {
        var h = new CentreHarness();
        h.Staff("ct-2", "ct-1", "ct-3");
        Assert.Equal(["a→ct-2"], CentreHarness.Offers(h.Enqueue("a")));
        Assert.Equal(["b→ct-1"], CentreHarness.Offers(h.Enqueue("b")));
    }

    [Fact]
    public void Longest_idle_a_call_taker_back_from_wrap_up_goes_to_the_end_of_the_idle_line()
    {
        var h = new CentreHarness();
        h.Staff("ct-1", "ct-2");
        h.Enqueue("a");
        h.Ok(c => c.OfferAnswered("a", "ct-1"));
        h.Ok(c => c.CallEnded("a"));
        h.Seconds(10);
        Assert.Equal(CallTakerState.Available, h.StateOf("ct-1"));
        Assert.Equal(["b→ct-2"], CentreHarness.Offers(h.Enqueue("b")));
    }

    [Fact]
    public void Longest_idle_a_withdrawn_offer_keeps_the_call_takers_idle_time()
    {
        var h = new CentreHarness();
        h.Staff("ct-1", "ct-2");
        h.Enqueue("a");
        h.Ok(c => c.CallEnded("a"));
        Assert.Equal(["b→ct-1"], CentreHarness.Offers(h.Enqueue("b")));
    }

    [Fact]
    public void Ring_all_rings_every_available_call_taker_of_the_group_and_the_first_answer_withdraws_the_others()
    {
        var h = new CentreHarness();
        h.Staff("ct-4", "ct-5");
        var offer = Assert.Single(h.Enqueue("a", region: "shymkent").OfType<OfferCall>());
        Assert.Equal(["ct-4", "ct-5"], offer.Targets.Select(t => t.CallTakerId));
        Assert.Equal(["PJSIP/ct-4", "PJSIP/ct-5"], offer.Targets.Select(t => t.Endpoint));

        var decisions = h.Ok(c => c.OfferAnswered("a", "ct-5"));
        Assert.Contains(new WithdrawOffer("a", "ct-4", "answered-elsewhere"), decisions);
        Assert.Contains(decisions, d => d is CallAnswered { CallId: "a", CallTakerId: "ct-5" });
        Assert.Equal(CallTakerState.Available, h.StateOf("ct-4"));
        Assert.Equal(CallTakerState.OnCall, h.StateOf("ct-5"));
    }

    [Fact]
    public void Ring_all_the_next_caller_rings_those_left_once_the_first_is_answered()
    {
        var h = new CentreHarness();
        h.Staff("ct-4", "ct-5");
        h.Enqueue("a", region: "shymkent");
        Assert.Empty(CentreHarness.Offers(h.Enqueue("b", region: "shymkent")));
        Assert.Equal(["b→ct-4"], CentreHarness.Offers(h.Ok(c => c.OfferAnswered("a", "ct-5"))));
    }

    [Fact]
    public void Language_a_caller_who_chose_kazakh_is_offered_to_a_kazakh_speaker_even_if_another_was_idle_longer()
    {
        var h = new CentreHarness();
        h.Staff("ct-2", "ct-3", "ct-1");
        Assert.Equal(["a→ct-1"], CentreHarness.Offers(h.Enqueue("a", language: "kk")));
    }

    [Fact]
    public void Language_the_caller_waits_for_a_speaker_then_goes_to_anyone_after_the_language_wait()
    {
        var h = new CentreHarness();
        h.Staff("ct-1", "ct-2");
        h.Enqueue("busy");
        h.Ok(c => c.OfferAnswered("busy", "ct-1"));

        Assert.Empty(CentreHarness.Offers(h.Enqueue("a", language: "kk")));
        Assert.Empty(CentreHarness.Offers(h.Seconds(19)));
        Assert.Equal(["a→ct-2"], CentreHarness.Offers(h.Seconds(1)));
    }

    [Fact]
    public void Language_calls_behind_a_caller_waiting_for_a_speaker_are_served_meanwhile_without_taking_its_place()
    {
        var h = new CentreHarness();
        h.Staff("ct-1", "ct-2");
        h.Enqueue("busy");
        h.Ok(c => c.OfferAnswered("busy", "ct-1"));
        // Only ct-2 (no kk) is free: the kk caller waits for ct-1, the ru caller behind is served.
        h.Enqueue("kk-caller", language: "kk");
        Assert.Equal(["ru-caller→ct-2"], CentreHarness.Offers(h.Enqueue("ru-caller", language: "ru")));
        Assert.Equal(["kk-caller", "ru-caller"], h.WaitingOrder());
    }

    [Fact]
    public void Language_when_no_staffed_call_taker_speaks_it_the_call_goes_to_anyone_at_once()
    {
        var h = new CentreHarness();
        h.Staff("ct-2");
        Assert.Equal(["a→ct-2"], CentreHarness.Offers(h.Enqueue("a", language: "en")));
    }

    [Fact]
    public void No_answer_the_call_taker_is_paused_and_the_call_offered_to_the_next_at_once_keeping_its_place()
    {
        var h = new CentreHarness();
        h.Staff("ct-1", "ct-2");
        h.Enqueue("busy");
        h.Ok(c => c.OfferAnswered("busy", "ct-1"));
        h.Enqueue("a");                 // offered to ct-2
        h.Seconds(2);
        h.Enqueue("b");                 // waits behind a
        h.Staff("ct-3");                // b is offered to ct-3, 2 s after a to ct-2
        Assert.Equal(["a", "b"], h.WaitingOrder());

        var decisions = h.Seconds(12);  // ct-2's 15 s are up, ct-3 still rings

        Assert.Contains(new WithdrawOffer("a", "ct-2", "no-answer"), decisions);
        Assert.Contains(new CallTakerChanged("ct-2", CallTakerState.Offered, CallTakerState.Paused, "no answer", "a"), decisions);
        Assert.Equal(CallTakerState.Paused, h.StateOf("ct-2"));
        Assert.Equal(["a", "b"], h.WaitingOrder());
        // a waits for the next free call-taker, still ahead of b (whose ct-3 does not answer either).
        h.Ok(c => c.CallEnded("busy"));
        Assert.Equal(["a→ct-1"], CentreHarness.Offers(h.Seconds(10)));
    }

    [Fact]
    public void No_answer_reported_by_the_engine_pauses_and_re_offers_to_the_next_call_taker_at_once()
    {
        var h = new CentreHarness();
        h.Staff("ct-1", "ct-2");
        h.Enqueue("a");
        var decisions = h.Ok(c => c.OfferFailed("a", "ct-1", OfferFailure.NoAnswer));
        Assert.Equal("no answer", h.Centre.CallTaker("ct-1")!.PauseReason);
        Assert.Equal(["a→ct-2"], CentreHarness.Offers(decisions));
        Assert.DoesNotContain(decisions, d => d is WithdrawOffer);
    }

    [Fact]
    public void A_rejected_offer_pauses_with_reason_rejected()
    {
        var h = new CentreHarness();
        h.Staff("ct-1", "ct-2");
        h.Enqueue("a");
        h.Ok(c => c.OfferFailed("a", "ct-1", OfferFailure.Rejected));
        Assert.Equal("rejected", h.Centre.CallTaker("ct-1")!.PauseReason);
    }

    [Fact]
    public void Unreachable_a_logged_in_call_taker_whose_device_is_unreachable_is_never_offered_a_call()
    {
        var h = new CentreHarness();
        h.Staff("ct-1", "ct-2");
        h.Ok(c => c.DeviceReachability("ct-1", false));
        Assert.Equal(["a→ct-2"], CentreHarness.Offers(h.Enqueue("a")));
        h.Ok(c => c.OfferAnswered("a", "ct-2"));
        Assert.Empty(CentreHarness.Offers(h.Enqueue("b")));
        Assert.Empty(CentreHarness.Offers(h.Seconds(25)));
        Assert.Empty(CentreHarness.Offers(h.Ok(c => c.DeviceReachability("ct-1", false))));
        Assert.Equal(["b→ct-1"], CentreHarness.Offers(h.Ok(c => c.DeviceReachability("ct-1", true))));
    }

    [Fact]
    public void Unreachable_a_position_never_reported_reachable_is_not_offered_calls_after_login()
    {
        var h = new CentreHarness();
        h.Ok(c => c.Login("ct-1"));
        h.Staff("ct-6");
        Assert.Equal(["a→ct-6"], CentreHarness.Offers(h.Enqueue("a")));
    }

    [Fact]
    public void Unreachable_a_device_lost_while_ringing_has_its_offer_withdrawn_and_the_call_goes_to_the_next()
    {
        var h = new CentreHarness();
        h.Staff("ct-1", "ct-2");
        h.Enqueue("a");
        var decisions = h.Ok(c => c.DeviceReachability("ct-1", false));
        Assert.Contains(new WithdrawOffer("a", "ct-1", "unreachable"), decisions);
        Assert.Equal(["a→ct-2"], CentreHarness.Offers(decisions));
    }

    [Fact]
    public void The_engine_may_name_a_position_by_its_device()
    {
        var h = new CentreHarness();
        Assert.Equal("ct-3", h.Centre.PositionForEndpoint("PJSIP/ct-3"));
        Assert.Equal("ct-3", h.Centre.PositionForEndpoint("ct-3"));
        Assert.Null(h.Centre.PositionForEndpoint("PJSIP/police-almaty-1"));
    }

    [Fact]
    public void Wrap_up_a_call_taker_whose_call_ended_gets_no_call_until_wrap_up_is_over()
    {
        var h = new CentreHarness();
        h.Staff("ct-1");
        h.Enqueue("a");
        h.Ok(c => c.OfferAnswered("a", "ct-1"));
        h.Ok(c => c.CallEnded("a"));
        Assert.Equal(CallTakerState.WrapUp, h.StateOf("ct-1"));
        Assert.Empty(CentreHarness.Offers(h.Enqueue("b")));
        Assert.Empty(CentreHarness.Offers(h.Seconds(9)));
        var decisions = h.Seconds(1);
        Assert.Contains(new CallTakerChanged("ct-1", CallTakerState.WrapUp, CallTakerState.Available, "wrap-up over", "a"), decisions);
        Assert.Equal(["b→ct-1"], CentreHarness.Offers(decisions));
    }

    [Fact]
    public void Wrap_up_a_call_taker_may_end_wrap_up_early_with_resume()
    {
        var h = new CentreHarness();
        h.Staff("ct-1");
        h.Enqueue("a");
        h.Ok(c => c.OfferAnswered("a", "ct-1"));
        h.Ok(c => c.CallTakerLeft("ct-1"));
        h.Enqueue("b");
        Assert.Equal(["b→ct-1"], CentreHarness.Offers(h.Ok(c => c.Resume("ct-1"))));
        Assert.Empty(CentreHarness.Offers(h.Seconds(10)));
    }

    [Fact]
    public void Wrap_up_of_zero_sends_the_call_taker_straight_back_to_available()
    {
        var h = new CentreHarness(o => o.WrapUp = TimeSpan.Zero);
        h.Staff("ct-1");
        h.Enqueue("a");
        h.Ok(c => c.OfferAnswered("a", "ct-1"));
        h.Enqueue("b");
        Assert.Equal(["b→ct-1"], CentreHarness.Offers(h.Ok(c => c.CallEnded("a"))));
    }

    [Fact]
    public void The_answer_time_is_counted_from_the_first_arrival_even_after_a_requeue()
    {
        var h = new CentreHarness();
        h.Staff("ct-1", "ct-2");
        h.Enqueue("a");
        h.Seconds(4);
        h.Ok(c => c.OfferAnswered("a", "ct-1"));
        h.Seconds(30);
        h.Ok(c => c.Requeue("ct-1", "a"));
        h.Seconds(2);
        var answered = h.Ok(c => c.OfferAnswered("a", "ct-2")).OfType<CallAnswered>().Single();
        Assert.Equal(TimeSpan.FromSeconds(36), answered.Waited);
    }
}
