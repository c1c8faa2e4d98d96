using Routing.Calls.Ports;
using Routing.Calls.Tests.Fakes;

namespace Routing.Calls.Tests;

/// <summary>Telephony and journal failures become outcomes and journal events, never exceptions.</summary>
public class CallFailureTests
{
    private const string Caller = CallHarness.CallerChannel;

    [Fact]
    public async Task If_the_answer_fails_the_caller_is_handed_to_the_dialplan_fallback()
    {
        var h = new CallHarness(setup: t => t.Fail("answer"));
        await h.StartAsync();
        await h.EndedAsync();
        Assert.Equal(["FailedOver"], h.Outcomes);
        Assert.Equal($"continue {Caller}", h.Telephony.Commands[^1]);
        Assert.Contains(h.Journal.EventsOf("command.failed"), e => e.Detail.StartsWith($"answer {Caller}", StringComparison.Ordinal));
        Assert.Equal("unclassified", h.Observer.Ended[0].Agency);
    }

    [Fact]
    public async Task If_the_hand_over_fails_too_the_call_still_ends_FailedOver_and_completion_does_not_fault()
    {
        var h = new CallHarness(setup: t =>
        {
            t.Fail("answer");
            t.Fail("setVariable");
            t.Fail("continue");
        });
        await h.StartAsync();
        await h.EndedAsync();
        Assert.True(h.Call.Completion.IsCompletedSuccessfully);
        Assert.Equal(["FailedOver"], h.Outcomes);
        // answer, the three variables, continue: each failure on record, none stopped the next step
        Assert.Equal(5, h.Journal.EventsOf("command.failed").Count);
        Assert.Equal("to dialplan: agency operator, region almaty", Assert.Single(h.Journal.EventsOf(FailoverEvents.Tried)).Detail);
        Assert.Equal($"continue {Caller} (Failed): Internal Server Error", Assert.Single(h.Journal.EventsOf(FailoverEvents.Failed)).Detail);
    }

    [Fact]
    public async Task The_hand_over_and_its_target_are_on_the_ledger_before_the_first_request_of_it_goes_to_Asterisk()
    {
        var h = new CallHarness(["direct", "police"]);
        await h.StartAsync();
        await h.SendAsync(new CallInput.EngineStopping());
        await h.EndedAsync();

        var written = h.IndexOf("journal:failover to dialplan: agency police, region almaty");
        Assert.True(written >= 0, string.Join("\n", h.Log.Entries));
        Assert.True(written < h.IndexOf($"telephony:setVariable {Caller} ROUTING112_FAILOVER=1"), string.Join("\n", h.Log.Entries));
        Assert.True(written < h.IndexOf($"telephony:continue {Caller}"), string.Join("\n", h.Log.Entries));
        // Done: no failover.failed, then the one outcome.
        Assert.Empty(h.Journal.EventsOf(FailoverEvents.Failed));
        Assert.True(h.IndexOf($"telephony:continue {Caller}") < h.IndexOf("journal:outcome FailedOver"));
    }

    [Fact]
    public async Task A_continue_Asterisk_refuses_is_recorded_as_failover_failed_with_its_error_and_the_call_keeps_one_outcome()
    {
        var h = new CallHarness(["direct", "police"], setup: t => t.Fail($"continue {Caller}"));
        await h.StartAsync();
        await h.SendAsync(new CallInput.EngineStopping());
        await h.EndedAsync();

        Assert.Equal($"continue {Caller} (Failed): Internal Server Error", Assert.Single(h.Journal.EventsOf(FailoverEvents.Failed)).Detail);
        Assert.True(h.IndexOf($"telephony:continue {Caller}") < h.IndexOf($"journal:failover.failed continue {Caller} (Failed): Internal Server Error"));
        Assert.Equal(["FailedOver"], h.Outcomes);
        Assert.Single(h.Journal.EventsOf("outcome"));
    }

    [Fact]
    public async Task A_caller_who_hangs_up_while_the_hand_over_sets_its_variables_is_recorded_as_failover_failed_and_not_continued()
    {
        var h = new CallHarness(["direct", "police"], setup: t => t.Fail($"setVariable {Caller} ROUTING112_AGENCY", resourceGone: true));
        await h.StartAsync();
        await h.SendAsync(new CallInput.EngineStopping());
        await h.EndedAsync();

        Assert.Equal($"setVariable ROUTING112_AGENCY {Caller} (Gone): Channel not found", Assert.Single(h.Journal.EventsOf(FailoverEvents.Failed)).Detail);
        Assert.DoesNotContain($"continue {Caller}", h.Telephony.Commands);
        Assert.Single(h.Journal.EventsOf("outcome"));
    }

    [Fact]
    public async Task If_the_failover_flag_cannot_be_set_the_caller_is_still_handed_over_with_agency_and_region()
    {
        // The hand-over continues at the dialplan's fallback label, so it does not need ROUTING112_FAILOVER.
        var h = new CallHarness(["direct", "police"], setup: t => t.Fail($"setVariable {Caller} ROUTING112_FAILOVER"));
        await h.StartAsync();
        await h.SendAsync(new CallInput.EngineStopping());
        await h.EndedAsync();
        Assert.Equal(["FailedOver"], h.Outcomes);
        Assert.Equal(
            [$"setVariable {Caller} ROUTING112_FAILOVER=1", $"setVariable {Caller} ROUTING112_AGENCY=police", $"setVariable {Caller} ROUTING112_REGION=almaty", $"continue {Caller}"],
            h.Telephony.Commands.TakeLast(4));
        Assert.Equal("to dialplan: agency police, region almaty", Assert.Single(h.Journal.EventsOf(FailoverEvents.Tried)).Detail);
        Assert.Empty(h.Journal.EventsOf(FailoverEvents.Failed)); // the flag is not the hand-over: it still happened
    }

    [Fact]
    public async Task A_prompt_that_cannot_be_played_does_not_stop_the_menu()
    {
        var h = new CallHarness(setup: t => t.Fail("play 1795486382.2 sound:112/ru/greeting"));
        await h.StartAsync();
        Assert.Equal("sound:112/ru/language-menu", h.LastMedia);
        await h.DigitAsync('2');
        await h.DigitAsync('3');
        Assert.Equal("ambulance", h.Call.Snapshot.Agency);
    }

    [Fact]
    public async Task A_dial_that_fails_moves_on_to_the_next_trunk()
    {
        var h = new CallHarness(["direct", "police"], setup: t => t.Fail("dial police-1795486382.2-1"));
        await h.StartAsync();
        Assert.Equal(2, h.Telephony.Dials.Count);
        Assert.Equal("PJSIP/police-almaty-2", h.Telephony.Dials[^1].Endpoint);
        Assert.Contains("legFailed police police-almaty-1", h.Observer.Seen);
        Assert.Equal(CallState.Dialing, h.State);
    }

    [Fact]
    public async Task A_dial_that_fails_is_hung_up_before_the_next_trunk_rings_since_Asterisk_may_have_created_it()
    {
        var h = new CallHarness(["direct", "police"], setup: t => t.Fail($"dial police-{Caller}-1"));
        await h.StartAsync();
        var hangup = h.IndexOf($"telephony:hangup police-{Caller}-1 NoAnswer");
        Assert.True(hangup > h.IndexOf($"telephony:dial police-{Caller}-1 PJSIP/police-almaty-1"));
        Assert.True(hangup < h.IndexOf($"telephony:dial police-{Caller}-2 PJSIP/police-almaty-2"));
        Assert.Contains(h.Journal.EventsOf("leg.failed"), e => e.Detail == "police-almaty-1: dial failed, hung up in case Asterisk had created it"
            && e.LegId == $"{h.Call.CallId}-leg1");
    }

    [Fact]
    public async Task A_dial_with_no_reply_within_the_command_bound_is_hung_up_before_the_next_trunk_rings()
    {
        var h = new CallHarness(["direct", "police"], setup: t => t.Hang($"dial police-{Caller}-1"));
        h.Call.Start();
        await h.UntilAsync(() => h.Telephony.Dials.Count == 1, "the first dial");
        h.Time.Advance(h.Options.Timers.Answer);
        await h.UntilAsync(() => h.Telephony.Dials.Count == 2, "the second dial");
        await h.IdleAsync();
        var commands = h.Telephony.Commands.ToList();
        Assert.Equal(commands.IndexOf($"dial police-{Caller}-2 PJSIP/police-almaty-2") - 1, commands.IndexOf($"hangup police-{Caller}-1 NoAnswer"));
        Assert.Contains(h.Journal.EventsOf("command.failed"), e => e.Detail.StartsWith($"dial police-{Caller}-1: no answer within", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failed_dial_whose_channel_never_existed_moves_on_quietly()
    {
        var h = new CallHarness(["direct", "police"], setup: t =>
        {
            t.Fail($"dial police-{Caller}-1");
            t.Fail($"hangup police-{Caller}-1", resourceGone: true);
        });
        await h.StartAsync();
        Assert.Equal(CallState.Dialing, h.State);
        Assert.Equal("PJSIP/police-almaty-2", h.Telephony.Dials[^1].Endpoint);
        Assert.Contains(h.Journal.EventsOf("leg.failed"), e => e.Detail == "police-almaty-1: dial failed, no channel was created");
    }

    [Fact]
    public async Task The_channel_of_a_failed_dial_that_answers_anyway_is_released_as_a_stray()
    {
        var h = new CallHarness(["direct", "police"], setup: t => t.Fail($"dial police-{Caller}-1"));
        await h.StartAsync();
        await h.SendAsync(new CallInput.LegAnswered($"police-{Caller}-1"));
        Assert.Contains($"hangup police-{Caller}-1 AnsweredElsewhere", h.Telephony.Commands);
        Assert.Equal(CallState.Dialing, h.State);
        Assert.Equal($"police-{Caller}-2", h.Call.Snapshot.CurrentLegChannelId);
    }

    [Fact]
    public async Task Every_dial_failing_ends_in_FailedOver_not_in_a_loop()
    {
        var h = new CallHarness(["direct", "police"], setup: t => t.Fail("dial"));
        await h.StartAsync();
        await h.EndedAsync();
        Assert.Equal(["FailedOver"], h.Outcomes);
        Assert.Equal(5, h.Telephony.Dials.Count);
    }

    [Fact]
    public async Task A_channel_that_vanishes_while_caller_and_leg_are_bridged_releases_the_leg_and_the_next_trunk_is_dialled()
    {
        // Caller and leg go into the bridge in one request, so "Channel not found" may be either: the leg is
        // hung up (a no-op if it was the one gone) and music on hold finds the caller still there.
        var h = new CallHarness(["direct", "police"]);
        await h.StartAsync();
        h.Telephony.Fail($"addToBridge {h.Call.CallId} {Caller},police-{Caller}-1", resourceGone: true);
        await h.AnswerLegAsync();
        Assert.Equal(CallState.Dialing, h.State);
        Assert.Equal("PJSIP/police-almaty-2", h.Telephony.Dials[^1].Endpoint);
        Assert.Contains($"hangup police-{Caller}-1 NoAnswer", h.Telephony.Commands);
        await h.AnswerLegAsync();
        Assert.Equal(CallState.Connected, h.State);
    }

    [Fact]
    public async Task A_leg_that_cannot_be_bridged_is_hung_up_and_the_next_trunk_is_dialled()
    {
        var h = new CallHarness(["direct", "police"]);
        await h.StartAsync();
        h.Telephony.Fail($"addToBridge {h.Call.CallId} {Caller},police-{Caller}-1");
        await h.AnswerLegAsync();
        Assert.Contains($"hangup police-{Caller}-1 NoAnswer", h.Telephony.Commands);
        Assert.Equal("PJSIP/police-almaty-2", h.Telephony.Dials[^1].Endpoint);
        Assert.Equal($"startMoh {Caller}", h.Telephony.Commands.First(c => c.StartsWith("startMoh", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task If_the_bridge_cannot_be_created_the_ringing_leg_is_released_and_the_caller_is_handed_to_the_dialplan()
    {
        var h = new CallHarness(["direct", "gas"], setup: t => t.Fail("createBridge"));
        await h.StartAsync();
        await h.EndedAsync();
        Assert.Equal(["FailedOver"], h.Outcomes);
        Assert.Equal("gas", h.Telephony.Variables["ROUTING112_AGENCY"]);
        var leg = Assert.Single(h.Telephony.Dials).LegChannelId;
        var commands = h.Telephony.Commands.ToList();
        Assert.True(commands.IndexOf($"hangup {leg} Normal") is >= 0 and var hungUp && hungUp < commands.IndexOf($"continue {Caller}"), string.Join("\n", commands));
    }

    [Fact]
    public async Task A_caller_channel_gone_during_a_prompt_is_a_hang_up()
    {
        var h = new CallHarness(setup: t => t.Fail("play", resourceGone: true));
        await h.StartAsync();
        await h.EndedAsync();
        Assert.Equal(["AbandonedInIvr"], h.Outcomes);
    }

    [Fact]
    public async Task A_journal_that_is_down_never_stops_the_call()
    {
        var h = new CallHarness(["direct", "fire"]);
        h.Journal.Broken = true;
        await h.StartAsync();
        await h.AnswerLegAsync();
        Assert.Equal(CallState.Connected, h.State);
        await h.HangUpAsync();
        await h.EndedAsync();
        Assert.Equal(CallOutcome.Completed, h.Call.Snapshot.Outcome);
        Assert.Empty(h.Journal.Records);
    }

    [Fact]
    public async Task A_throwing_leg_listener_does_not_stop_the_dial()
    {
        var h = new CallHarness(["direct", "fire"]);
        h.Call.LegChannelPlanned += _ => throw new InvalidOperationException("engine bug");
        await h.StartAsync();
        Assert.Single(h.Telephony.Dials);
    }

    [Fact]
    public async Task Inputs_that_do_not_fit_the_state_are_recorded_as_ignored()
    {
        var h = new CallHarness(["direct", "fire"]);
        await h.StartAsync();
        await h.DigitAsync('5');
        Assert.Contains(h.Journal.EventsOf("input.ignored"), e => e.Detail == "Digit in Dialing");
        Assert.Equal(CallState.Dialing, h.State);
    }
}
