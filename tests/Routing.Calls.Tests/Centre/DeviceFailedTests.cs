using Routing.Calls.Centre;

namespace Routing.Calls.Tests.Centre;

/// <summary>
/// A position's phone answers an offer and is gone before (or as) it is put in the caller's bridge. Offering it
/// the call again would repeat the failure at once and for ever; the centre pauses it ("device failed") and the
/// caller waits in the place it had for the next call-taker.
/// </summary>
public class DeviceFailedTests
{
    /// <summary>ct-1 (idle longest) answered call "a"; ct-2 is Available.</summary>
    private static CentreHarness AnsweredByCt1()
    {
        var h = new CentreHarness();
        h.Staff("ct-1", "ct-2");
        Assert.Equal(["a→ct-1"], CentreHarness.Offers(h.Enqueue("a")));
        h.Ok(c => c.OfferAnswered("a", "ct-1"));
        return h;
    }

    [Fact]
    public void A_phone_that_never_reached_the_bridge_pauses_its_position_and_the_call_is_offered_to_the_next_one_at_once()
    {
        var h = AnsweredByCt1();

        var decisions = h.Ok(c => c.CallTakerDeviceLeft("ct-1", "a", withCaller: null));

        Assert.Equal(CallTakerState.Paused, h.StateOf("ct-1"));
        Assert.Equal(CallCentre.DeviceFailed, h.Centre.CallTaker("ct-1")!.PauseReason);
        Assert.Equal(["a→ct-2"], CentreHarness.Offers(decisions));
        // Paused (on record) before the call is said to be back, before it is offered to the next one.
        Assert.Equal(
            [
                new CallTakerChanged("ct-1", CallTakerState.OnCall, CallTakerState.Paused, CallCentre.DeviceFailed, "a"),
                new CallReturnedToQueue("a", "ct-1", CallCentre.DeviceFailed),
            ],
            decisions.Take(2));
        Assert.True(decisions.ToList().FindIndex(d => d is OfferCall) > 1);
    }

    [Fact]
    public void A_phone_that_drops_within_DeviceFailedWithin_of_being_bridged_failed_too()
    {
        var h = AnsweredByCt1();
        h.Ok(c => c.CallTakerDeviceLeft("ct-1", "a", withCaller: TimeSpan.FromSeconds(1.9)));
        Assert.Equal(CallTakerState.Paused, h.StateOf("ct-1"));
        Assert.Equal(CallPriority.Emergency, Assert.Single(h.All.OfType<OfferCall>(), o => o.Targets[0].CallTakerId == "ct-2").Priority);
    }

    [Fact]
    public void A_phone_that_leaves_after_talking_is_a_call_taker_leaving_an_unclassified_call_requeued_and_in_wrap_up()
    {
        var h = AnsweredByCt1();
        var decisions = h.Ok(c => c.CallTakerDeviceLeft("ct-1", "a", withCaller: TimeSpan.FromSeconds(2)));
        Assert.Equal(CallTakerState.WrapUp, h.StateOf("ct-1"));
        Assert.Empty(decisions.OfType<CallReturnedToQueue>());
        Assert.Equal(CallPriority.Requeued, Assert.Single(decisions.OfType<OfferCall>()).Priority);
    }

    [Fact]
    public void The_call_keeps_its_place_ahead_of_a_112_call_that_came_after_it()
    {
        var h = new CentreHarness();
        h.Staff("ct-1", "ct-2");
        h.Enqueue("busy");
        h.Ok(c => c.OfferAnswered("busy", "ct-1"));
        h.Enqueue("a");
        h.Ok(c => c.OfferAnswered("a", "ct-2"));
        h.Seconds(5);
        h.Enqueue("later");
        h.Seconds(1);

        h.Ok(c => c.CallTakerDeviceLeft("ct-2", "a", withCaller: null));

        Assert.Equal(["a", "later"], h.WaitingOrder());
        Assert.Equal([CallPriority.Emergency, CallPriority.Emergency], h.Centre.Snapshot().Waiting.Select(w => w.Priority));
        // The one staffed position frees (after its wrap-up): it gets "a", not the caller who came later.
        h.Ok(c => c.CallEnded("busy"));
        Assert.Equal(["a→ct-1"], CentreHarness.Offers(h.Seconds(10)));
        // The answer time still counts from the caller's first arrival.
        Assert.Equal(TimeSpan.FromSeconds(16), h.Ok(c => c.OfferAnswered("a", "ct-1")).OfType<CallAnswered>().Single().Waited);
    }

    [Fact]
    public void The_max_wait_of_its_group_still_counts_from_when_the_call_reached_it()
    {
        var h = new CentreHarness();
        h.Staff("ct-1", "ct-2");
        h.Enqueue("busy");
        h.Ok(c => c.OfferAnswered("busy", "ct-1"));
        h.Enqueue("a"); // almaty MaxWait 30 s
        h.Seconds(10);
        h.Ok(c => c.OfferAnswered("a", "ct-2"));
        h.Seconds(2);
        h.Ok(c => c.CallTakerDeviceLeft("ct-2", "a", withCaller: null));

        Assert.Empty(h.Seconds(17).OfType<OverflowCall>());
        Assert.Equal([new OverflowCall("a", "almaty", "national", "max-wait")], h.Seconds(1).OfType<OverflowCall>());
    }

    [Fact]
    public void With_nobody_else_staffed_the_call_moves_on_at_once_as_a_newcomer_would()
    {
        var h = new CentreHarness();
        h.Staff("ct-1");
        h.Enqueue("a");
        h.Ok(c => c.OfferAnswered("a", "ct-1"));

        var decisions = h.Ok(c => c.CallTakerDeviceLeft("ct-1", "a", withCaller: null));

        Assert.Equal(new OverflowCall("a", "almaty", "national", "no-one-staffed"), decisions.OfType<OverflowCall>().First());
        Assert.Equal([new HandToFallback("a", "no-one-staffed")], decisions.OfType<HandToFallback>());
        Assert.Empty(CentreHarness.Offers(decisions));
    }

    [Fact]
    public void A_paused_phone_is_not_offered_the_call_again_however_often_it_fails()
    {
        var h = new CentreHarness();
        h.Staff("ct-1", "ct-2", "ct-3");
        h.Enqueue("a");
        foreach (var position in new[] { "ct-1", "ct-2" })
        {
            h.Ok(c => c.OfferAnswered("a", position));
            h.Ok(c => c.CallTakerDeviceLeft(position, "a", withCaller: null));
        }

        Assert.Equal(["a→ct-1", "a→ct-2", "a→ct-3"], CentreHarness.Offers(h.All));
        Assert.Equal([CallTakerState.Paused, CallTakerState.Paused, CallTakerState.Offered], new[] { "ct-1", "ct-2", "ct-3" }.Select(h.StateOf));
    }

    public static TheoryData<string, string, RefusalKind, string> Refused => new()
    {
        { "ct-2", "a", RefusalKind.NotAllowed, "ct-2 is Available; a device leaving its call is allowed in OnCall" },
        { "ct-1", "b", RefusalKind.NotYours, "ct-1 is on call a, not on call b" },
        { "ct-9", "a", RefusalKind.UnknownCallTaker, "no call-taker position 'ct-9'" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_report_about_a_position_not_on_that_call_is_refused_and_changes_nothing(string position, string callId, RefusalKind kind, string message)
    {
        var h = AnsweredByCt1();
        var before = Picture(h);

        var result = h.Do(c => c.CallTakerDeviceLeft(position, callId, withCaller: null));

        Assert.Equal(new Refusal(kind, message), result.Refusal);
        Assert.Empty(result.Decisions);
        Assert.Equal(before, Picture(h));
    }

    private static string Picture(CentreHarness h)
    {
        var snapshot = h.Centre.Snapshot();
        return string.Join("; ", snapshot.CallTakers.Select(v => $"{v.Id} {v.State} {v.PauseReason} {v.CallId}"))
            + " | " + string.Join("; ", snapshot.Waiting.Select(w => $"{w.CallId} {w.Priority} {w.Position}"));
    }
}
