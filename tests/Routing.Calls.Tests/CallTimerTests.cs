using Routing.Calls.Ports;
using Routing.Calls.Tests.Fakes;

namespace Routing.Calls.Tests;

/// <summary>Every wait has a bound, driven by the fake clock.</summary>
public class CallTimerTests
{
    private const string Caller = CallHarness.CallerChannel;

    [Fact]
    public async Task A_prompt_that_never_reports_finished_counts_as_finished_after_the_prompt_timer()
    {
        var h = new CallHarness();
        await h.StartAsync();
        await h.AdvanceAsync(h.Options.Timers.Prompt - TimeSpan.FromMilliseconds(1));
        Assert.Equal(["sound:112/ru/greeting"], h.Media);
        await h.AdvanceAsync(TimeSpan.FromMilliseconds(1));
        Assert.Equal("sound:112/ru/language-menu", h.LastMedia);
    }

    [Fact]
    public async Task The_menu_digit_timer_starts_only_when_the_menu_prompt_is_over()
    {
        var h = new CallHarness();
        await h.StartAsync();
        await h.FinishPromptAsync();
        await h.AdvanceAsync(h.Options.Timers.MenuDigit * 2); // still playing the language menu
        Assert.Single(h.Media, m => m.EndsWith("language-menu", StringComparison.Ordinal));
        await h.FinishPromptAsync();
        await h.AdvanceAsync(h.Options.Timers.MenuDigit);
        Assert.Equal(2, h.Media.Count(m => m.EndsWith("language-menu", StringComparison.Ordinal)));
        Assert.Single(h.Journal.EventsOf("menu.repeat"));
    }

    [Fact]
    public async Task A_prompt_timer_from_before_a_barge_in_is_stale_and_ignored()
    {
        var h = new CallHarness();
        await h.StartAsync();
        await h.AdvanceAsync(TimeSpan.FromSeconds(19));
        await h.DigitAsync('2'); // barges into the greeting; service menu starts, its own prompt timer
        await h.AdvanceAsync(TimeSpan.FromSeconds(2)); // the greeting's 20 s would have passed
        Assert.Equal("sound:112/ru/service-menu", h.LastMedia);
        Assert.Empty(h.Journal.EventsOf("timer"));
    }

    [Fact]
    public async Task An_unanswered_trunk_is_hung_up_at_its_ring_timeout_and_the_next_one_dialled()
    {
        var h = new CallHarness(["direct", "fire"]);
        await h.StartAsync();
        var first = h.LastLeg;
        await h.AdvanceAsync(TimeSpan.FromSeconds(19));
        Assert.Single(h.Telephony.Dials);
        await h.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Contains($"hangup {first} NoAnswer", h.Telephony.Commands);
        Assert.Equal("PJSIP/fire-almaty-2", h.Telephony.Dials[^1].Endpoint);
        // Its ChannelDestroyed arrives afterwards and is only recorded.
        await h.SendAsync(new CallInput.LegEnded(first, 19, "No answer"));
        Assert.Equal(2, h.Telephony.Dials.Count);
        Assert.Contains(h.Journal.EventsOf("leg.ended"), e => e.LegId == $"{h.Call.CallId}-leg1");
    }

    [Fact]
    public async Task The_whole_dialing_plan_is_bounded_by_the_dialing_total()
    {
        var options = TestOptions.Default();
        options.Timers.DialingTotal = TimeSpan.FromSeconds(30);
        var h = new CallHarness(["direct", "police"], options: options);
        await h.StartAsync();
        await h.AdvanceAsync(TimeSpan.FromSeconds(20)); // first trunk rings out
        await h.AdvanceAsync(TimeSpan.FromSeconds(10)); // the second is cut by the bound
        await h.EndedAsync();
        Assert.Equal(["FailedOver"], h.Outcomes);
        Assert.Contains($"hangup police-{Caller}-2 Normal", h.Telephony.Commands);
        Assert.Equal("police", h.Telephony.Variables["ROUTING112_AGENCY"]);
        Assert.Contains(h.Journal.EventsOf("timer"), e => e.Detail == "DialingTotal in Dialing");
    }

    [Fact]
    public async Task A_caller_waiting_for_a_call_taker_too_long_is_handed_to_the_dialplan_as_operator()
    {
        var options = TestOptions.Default();
        options.Operators.Trunks.ForEach(t => t.RingTimeout = TimeSpan.FromMinutes(1)); // ringing, never answered
        var h = new CallHarness(["sos", "nobody"], options: options);
        await h.StartAsync();
        for (var i = 0; i < 3; i++) await h.AdvanceAsync(TimeSpan.FromSeconds(30));
        await h.EndedAsync();
        Assert.Equal(["FailedOver"], h.Outcomes);
        Assert.Equal(("1", "operator"), (h.Telephony.Variables["ROUTING112_FAILOVER"], h.Telephony.Variables["ROUTING112_AGENCY"]));
        Assert.Contains(h.Journal.EventsOf("timer"), e => e.Detail == "State in OperatorQueue");
    }

    [Fact]
    public async Task Reconciles_after_ARI_gaps_never_extend_the_dialing_total()
    {
        var options = TestOptions.Default();
        options.Timers.DialingTotal = TimeSpan.FromSeconds(30);
        foreach (var trunk in options.Regions["almaty"].Trunks["police"]) trunk.RingTimeout = TimeSpan.FromMinutes(1);
        var h = new CallHarness(["direct", "police"], options: options);
        await h.StartAsync();
        foreach (var gapAt in new[] { 10, 10, 9 }) // reconciles at 10, 20 and 29 s, each re-arming the ring wait
        {
            await h.AdvanceAsync(TimeSpan.FromSeconds(gapAt));
            await h.SendAsync(new CallInput.Reconciled());
        }
        Assert.Equal(CallState.Dialing, h.State);
        await h.AdvanceAsync(TimeSpan.FromSeconds(1));
        await h.EndedAsync();
        Assert.Equal(["FailedOver"], h.Outcomes);
        Assert.Contains(h.Journal.EventsOf("timer"), e => e.Detail == "DialingTotal in Dialing");
    }

    [Fact]
    public async Task Reconciles_in_overflow_never_extend_the_dialing_total_started_in_dialing()
    {
        var options = TestOptions.Default();
        options.Timers.DialingTotal = TimeSpan.FromSeconds(60);
        var h = new CallHarness(["direct", "police"], options: options);
        await h.StartAsync();
        await h.AdvanceAsync(TimeSpan.FromSeconds(20)); // almaty-1 rings out
        await h.AdvanceAsync(TimeSpan.FromSeconds(25)); // almaty-2 rings out: overflow to astana at 45 s
        Assert.Equal(CallState.Overflow, h.State);
        await h.AdvanceAsync(TimeSpan.FromSeconds(5));
        await h.SendAsync(new CallInput.Reconciled()); // astana-1's ring wait now ends at 70 s
        await h.AdvanceAsync(TimeSpan.FromSeconds(9));
        await h.SendAsync(new CallInput.Reconciled());
        Assert.Equal(CallState.Overflow, h.State);
        await h.AdvanceAsync(TimeSpan.FromSeconds(1));
        await h.EndedAsync();
        Assert.Contains(h.Journal.EventsOf("timer"), e => e.Detail == "DialingTotal in Overflow");
        Assert.Equal(["FailedOver"], h.Outcomes);
    }

    [Fact]
    public async Task Reconciles_after_ARI_gaps_never_extend_the_call_taker_queue_timeout()
    {
        var options = TestOptions.Default();
        options.Operators.Trunks.ForEach(t => t.RingTimeout = TimeSpan.FromMinutes(2)); // ringing, never answered
        var h = new CallHarness(["sos", "nobody"], options: options);
        await h.StartAsync();
        Assert.Equal(CallState.OperatorQueue, h.State);
        var queue = options.Operators.QueueTimeout;
        await h.AdvanceAsync(queue / 2);
        await h.SendAsync(new CallInput.Reconciled());
        await h.AdvanceAsync(queue / 2 - TimeSpan.FromSeconds(1));
        await h.SendAsync(new CallInput.Reconciled());
        Assert.Equal(CallState.OperatorQueue, h.State);
        await h.AdvanceAsync(TimeSpan.FromSeconds(1));
        await h.EndedAsync();
        Assert.Equal(["FailedOver"], h.Outcomes);
        Assert.Contains(h.Journal.EventsOf("timer"), e => e.Detail == "State in OperatorQueue");
    }

    [Fact]
    public async Task When_every_call_taker_trunk_fails_the_call_fails_over()
    {
        var h = new CallHarness(["sos", "nobody"]);
        await h.StartAsync();
        await h.LegBusyAsync();
        await h.LegBusyAsync();
        await h.EndedAsync();
        Assert.Equal(["FailedOver"], h.Outcomes);
        Assert.Equal("OperatorQueue -> Ended", h.Journal.EventsOf("state")[^1].Detail);
    }

    [Fact]
    public async Task A_long_emergency_call_is_never_cut_by_the_connected_timer_only_recorded()
    {
        var h = new CallHarness(["direct", "ambulance"]);
        await h.StartAsync();
        await h.AnswerLegAsync();
        await h.AdvanceAsync(h.Options.Timers.ConnectedMax);
        await h.AdvanceAsync(h.Options.Timers.ConnectedMax);
        Assert.Equal(CallState.Connected, h.State);
        Assert.Equal(2, h.Journal.EventsOf("connected.max").Count);
        Assert.DoesNotContain(h.Telephony.Commands, c => c.StartsWith("hangup", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_command_that_never_returns_is_abandoned_after_the_answer_timer()
    {
        var h = new CallHarness(["direct", "fire"], setup: t => t.Hang("createBridge"));
        h.Call.Start();
        await WaitFor(() => h.Telephony.Commands.Any(c => c.StartsWith("createBridge", StringComparison.Ordinal)));
        h.Time.Advance(h.Options.Timers.Answer);
        await h.EndedAsync();
        Assert.Equal(["FailedOver"], h.Outcomes);
        Assert.Contains(h.Journal.EventsOf("command.failed"), e => e.Detail.StartsWith("createBridge", StringComparison.Ordinal));
        Assert.Equal($"continue {Caller}", h.Telephony.Commands[^1]);
    }

    [Fact]
    public async Task An_answer_that_never_completes_hands_the_caller_to_the_dialplan()
    {
        var h = new CallHarness(setup: t => t.Hang("answer"));
        h.Call.Start();
        await WaitFor(() => h.Telephony.Commands.Count > 0);
        Assert.Equal(CallState.Arrived, h.State);
        h.Time.Advance(h.Options.Timers.Answer);
        await h.EndedAsync();
        Assert.Equal(["FailedOver"], h.Outcomes);
        Assert.Equal("Arrived -> Ended", h.Journal.EventsOf("state")[^1].Detail);
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in 10 s");
            await Task.Delay(1);
        }
    }
}
