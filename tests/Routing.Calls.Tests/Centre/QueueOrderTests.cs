using Routing.Calls.Centre;

namespace Routing.Calls.Tests.Centre;

/// <summary>Who is served first: classes, FIFO within a class, and aging between classes.</summary>
public class QueueOrderTests
{
    /// <summary>A centre where almaty has one position, busy on a call, so calls queue behind it.</summary>
    private static CentreHarness Busy(Action<CentreOptions>? configure = null)
    {
        var h = new CentreHarness(configure);
        h.Staff("ct-1");
        h.Enqueue("busy");
        h.Ok(c => c.OfferAnswered("busy", "ct-1"));
        return h;
    }

    [Fact]
    public void Calls_of_one_class_are_served_first_in_first_out()
    {
        var h = Busy();
        foreach (var id in new[] { "a", "b", "c" })
        {
            h.Enqueue(id);
            h.Seconds(1);
        }
        Assert.Equal(["a", "b", "c"], h.WaitingOrder());
    }

    [Fact]
    public void A_call_with_life_in_danger_goes_ahead_of_112_calls_which_go_ahead_of_requeued_ones()
    {
        var h = Busy();
        h.Staff("ct-2");
        h.Enqueue("first");
        h.Ok(c => c.OfferAnswered("first", "ct-2"));
        h.Ok(c => c.Requeue("ct-2", "first"));
        h.Seconds(1);
        h.Enqueue("ordinary");
        h.Seconds(1);
        h.Enqueue("danger", lifeInDanger: true);

        Assert.Equal(["danger", "ordinary", "first"], h.WaitingOrder());
        Assert.Equal([CallPriority.Critical, CallPriority.Emergency, CallPriority.Requeued], h.Centre.Snapshot().Waiting.Select(w => w.Priority));
    }

    [Fact]
    public void An_sos_button_goes_to_the_police_call_takers_at_top_priority()
    {
        var h = new CentreHarness();
        h.Staff("pol-1", "ct-1");
        var decisions = h.Enqueue("sos-1", entry: CallEntry.Sos);
        var offer = Assert.Single(decisions.OfType<OfferCall>());
        Assert.Equal("pol-1", Assert.Single(offer.Targets).CallTakerId);
        Assert.Equal(CallPriority.Critical, offer.Priority);
    }

    [Fact]
    public void Aging_a_112_call_that_waited_longer_than_the_head_start_difference_goes_before_a_fresh_sos()
    {
        // Critical head start 5 min, Emergency 1 min: a 112 call waiting more than 4 min beats a new SOS.
        var h = Busy(NoOverflow);
        h.Enqueue("old-112");
        h.Advance(TimeSpan.FromMinutes(4) + TimeSpan.FromSeconds(1));
        h.Enqueue("new-danger", lifeInDanger: true);
        h.Seconds(1);
        h.Enqueue("new-112");
        Assert.Equal(["old-112", "new-danger", "new-112"], h.WaitingOrder());
    }

    [Fact]
    public void Aging_a_112_call_that_waited_less_than_the_head_start_difference_stays_behind_a_fresh_sos()
    {
        var h = Busy(NoOverflow);
        h.Enqueue("old-112");
        h.Advance(TimeSpan.FromMinutes(4) - TimeSpan.FromSeconds(1));
        h.Enqueue("new-danger", lifeInDanger: true);
        Assert.Equal(["new-danger", "old-112"], h.WaitingOrder());
    }

    private static void NoOverflow(CentreOptions o)
    {
        foreach (var g in o.Groups.Values) g.MaxWait = TimeSpan.FromHours(1);
    }

    [Fact]
    public void The_next_free_call_taker_gets_the_head_of_the_queue()
    {
        var h = Busy();
        h.Enqueue("a");
        h.Seconds(1);
        h.Enqueue("b", lifeInDanger: true);
        h.Ok(c => c.CallEnded("busy"));
        var decisions = h.Seconds(10);
        Assert.Equal(["b→ct-1"], CentreHarness.Offers(decisions));
    }

    [Fact]
    public void A_waiting_caller_hears_its_position_at_every_announce_interval_in_its_language()
    {
        var h = Busy();
        h.Enqueue("a");
        h.Enqueue("b", language: "kk");
        var decisions = h.Seconds(30);
        Assert.Equal([new AnnouncePosition("a", 1, null), new AnnouncePosition("b", 2, "kk")], decisions.OfType<AnnouncePosition>());
        Assert.Equal(2, h.Seconds(30).OfType<AnnouncePosition>().Count());
    }

    [Fact]
    public void A_caller_who_hangs_up_while_waiting_leaves_the_queue_as_abandoned_with_its_wait()
    {
        var h = Busy();
        h.Enqueue("a");
        h.Seconds(7);
        var decisions = h.Ok(c => c.CallEnded("a"));
        Assert.Equal(new CallLeftQueue("a", "abandoned", TimeSpan.FromSeconds(7)), Assert.Single(decisions));
        Assert.Empty(h.WaitingOrder());
        Assert.Equal(RefusalKind.Stale, h.Do(c => c.CallEnded("a")).Refusal!.Kind);
    }

    [Fact]
    public void A_call_already_in_the_centre_cannot_be_queued_twice_and_a_direct_call_not_at_all()
    {
        var h = Busy();
        h.Enqueue("a");
        Assert.Equal(RefusalKind.Invalid, h.Do(c => c.Enqueue(new QueueRequest("a", CallEntry.Emergency112, "almaty", null))).Refusal!.Kind);
        Assert.Equal(RefusalKind.Invalid, h.Do(c => c.Enqueue(new QueueRequest("busy", CallEntry.Emergency112, "almaty", null))).Refusal!.Kind);
        Assert.Equal(RefusalKind.Invalid, h.Do(c => c.Enqueue(new QueueRequest("d", CallEntry.Direct, "almaty", null))).Refusal!.Kind);
        Assert.Equal(["a"], h.WaitingOrder());
    }

    [Fact]
    public void A_language_the_centre_cannot_read_is_dropped_but_the_caller_is_still_queued()
    {
        var h = Busy();
        h.Enqueue("a", language: "kk'; DROP");
        var waiting = Assert.Single(h.Centre.Snapshot().Waiting);
        Assert.Null(waiting.Language);
    }
}
