using Routing.Calls.Ports;
using Routing.Calls.Tests.Fakes;

namespace Routing.Calls.Tests;

/// <summary>The main paths of a call, as the caller and the agency live them.</summary>
public class CallFlowTests
{
    private const string Caller = CallHarness.CallerChannel;

    [Fact]
    public async Task A_112_caller_chooses_Kazakh_then_police_and_is_bridged_to_the_first_Almaty_police_trunk()
    {
        var h = new CallHarness();
        await h.StartAsync();
        Assert.Equal(CallState.Classifying, h.State);
        Assert.Equal("sound:112/ru/greeting", h.LastMedia);

        await h.FinishPromptAsync();
        Assert.Equal("sound:112/ru/language-menu", h.LastMedia);
        await h.FinishPromptAsync();
        await h.DigitAsync('1');
        Assert.Equal("kk", h.Call.Snapshot.Language);
        Assert.Equal("sound:112/kk/service-menu", h.LastMedia);
        await h.FinishPromptAsync();
        await h.DigitAsync('2');

        Assert.Equal(CallState.Dialing, h.State);
        Assert.Equal("police", h.Call.Snapshot.Agency);
        var bridge = h.Call.CallId;
        var dial = Assert.Single(h.Telephony.Dials);
        Assert.Equal(($"police-{Caller}-1", "PJSIP/police-almaty-1"), (dial.LegChannelId, dial.Endpoint));
        Assert.Equal(["dialed", "police", Caller], dial.AppArgs);
        Assert.Equal("\"112 +77271234567\" <+77271234567>", dial.CallerId);
        Assert.Equal(h.Call.CallId, dial.Variables["ROUTING112_CALL_ID"]);
        Assert.Equal(TimeSpan.FromSeconds(20), dial.RingTimeout);
        // Originate first, the bridge while it rings; the caller waits outside it until the agency answers.
        Assert.Equal([$"dial {dial.LegChannelId} {dial.Endpoint}", $"createBridge {bridge}"], h.Telephony.Commands.TakeLast(2));

        await h.AdvanceAsync(h.Options.Timers.ConnectingPrompt); // no answer yet: "connecting" after all
        Assert.Equal("sound:112/kk/connecting", h.LastMedia);
        await h.FinishPromptAsync(); // "connecting" over: music on hold while it rings
        Assert.Equal($"startMoh {Caller}", h.Telephony.Commands[^1]);

        await h.SendAsync(new CallInput.LegRinging(dial.LegChannelId));
        await h.AnswerLegAsync();
        Assert.Equal(CallState.Connected, h.State);
        Assert.Equal([$"stopMoh {Caller}", $"addToBridge {bridge} {Caller},{dial.LegChannelId}"], h.Telephony.Commands.TakeLast(2));
        Assert.Equal(("police", "police-almaty-1"), (h.Observer.Answered[0].Agency, h.Observer.Answered[0].Trunk));

        await h.HangUpAsync();
        await h.EndedAsync();
        Assert.Equal(["Completed"], h.Outcomes);
        Assert.Equal([$"hangup {dial.LegChannelId} Normal", $"destroyBridge {bridge}"], h.Telephony.Commands.TakeLast(2));
        Assert.Equal(("police", CallOutcome.Completed), (h.Observer.Ended[0].Agency, h.Observer.Ended[0].Outcome));
        Assert.Equal(
            ["Arrived -> Answered", "Answered -> Classifying", "Classifying -> Queued", "Queued -> Dialing", "Dialing -> Connected", "Connected -> Ended"],
            h.Journal.EventsOf("state").Select(e => e.Detail));
        Assert.Empty(h.Journal.EventsOf("callback.required"));
    }

    [Fact]
    public async Task The_call_is_on_record_before_the_first_command_and_each_leg_before_it_is_dialled()
    {
        var h = new CallHarness(["direct", "fire"]);
        await h.StartAsync();
        await h.LegBusyAsync();
        await h.LegBusyAsync();

        Assert.Equal("journal:call", h.Log.Entries.First(e => e.StartsWith("journal:call", StringComparison.Ordinal)));
        Assert.True(h.IndexOf("journal:call") < h.Log.Entries.ToList().FindIndex(e => e.StartsWith("telephony:", StringComparison.Ordinal)),
            string.Join("\n", h.Log.Entries));
        foreach (var dial in h.Telephony.Dials)
        {
            var leg = h.IndexOf($"journal:leg {dial.LegChannelId}");
            var planned = h.IndexOf($"planned {dial.LegChannelId}");
            var dialled = h.IndexOf($"telephony:dial {dial.LegChannelId} {dial.Endpoint}");
            Assert.True(leg >= 0 && leg < planned && planned < dialled, $"{dial.LegChannelId}: leg {leg}, planned {planned}, dial {dialled}");
        }
        Assert.Equal(3, h.Journal.Legs.Count);
        Assert.Equal([1, 2, 3], h.Journal.Legs.Select(l => l.Attempt));
    }

    [Fact]
    public async Task When_the_primary_trunk_is_busy_the_secondary_is_tried_and_answers()
    {
        var h = new CallHarness(["direct", "police"]);
        await h.StartAsync();
        await h.LegBusyAsync();
        Assert.Equal("PJSIP/police-almaty-2", h.Telephony.Dials[^1].Endpoint);
        Assert.Equal(CallState.Dialing, h.State);
        await h.AnswerLegAsync();
        Assert.Equal(CallState.Connected, h.State);
        Assert.Contains("legFailed police police-almaty-1", h.Observer.Seen);
        Assert.Equal(2, h.Call.Snapshot.Attempts);
    }

    [Fact]
    public async Task When_no_trunk_anywhere_answers_the_call_overflows_then_fails_over_to_the_dialplan_with_its_variables()
    {
        var h = new CallHarness(["direct", "ambulance"], callerNumber: "+77251112233");
        await h.StartAsync();
        Assert.Equal("PJSIP/ambulance-shymkent-1", h.Telephony.Dials[^1].Endpoint);
        await h.LegBusyAsync();
        await h.LegBusyAsync();
        Assert.Equal(CallState.Overflow, h.State);
        Assert.Equal("sound:112/ru/still-trying", h.LastMedia);
        Assert.Equal("PJSIP/ambulance-almaty-1", h.Telephony.Dials[^1].Endpoint);
        for (var i = 0; i < 4; i++) await h.LegBusyAsync(); // almaty ×2, astana ×2
        Assert.Equal("PJSIP/ambulance-national", h.Telephony.Dials[^1].Endpoint);
        await h.LegBusyAsync();
        await h.EndedAsync();

        Assert.Equal(["FailedOver"], h.Outcomes);
        Assert.Equal(("1", "ambulance", "shymkent"),
            (h.Telephony.Variables["ROUTING112_FAILOVER"], h.Telephony.Variables["ROUTING112_AGENCY"], h.Telephony.Variables["ROUTING112_REGION"]));
        Assert.Equal($"continue {Caller}", h.Telephony.Commands[^1]);
        Assert.True(h.Telephony.Commands.ToList().IndexOf($"destroyBridge {h.Call.CallId}") < h.Telephony.Commands.ToList().IndexOf($"continue {Caller}"));
        Assert.Equal(7, h.Telephony.Dials.Count);
        Assert.Contains("Dialing -> Overflow", h.Journal.EventsOf("state").Select(e => e.Detail));
        Assert.Contains("Overflow -> Ended", h.Journal.EventsOf("state").Select(e => e.Detail));
    }

    [Fact]
    public async Task A_101_call_whose_channel_says_en_hears_the_default_russian_prompts()
    {
        // A real Asterisk reports "en" for every endpoint without language= (issue 6, defect 2).
        var h = new CallHarness(["direct", "fire"], channelLanguage: "en");
        await h.StartAsync();
        await h.AdvanceAsync(h.Options.Timers.ConnectingPrompt);
        Assert.Equal(["sound:112/ru/connecting"], h.Media);
        Assert.Equal("ru", h.Call.Snapshot.Language);
    }

    [Fact]
    public async Task A_direct_call_hears_its_entrys_configured_language_whatever_the_channel_says()
    {
        var options = TestOptions.Default();
        options.Ivr.EntryLanguages["direct"] = "kk";
        var h = new CallHarness(["direct", "gas"], options: options, channelLanguage: "en");
        await h.StartAsync();
        await h.AdvanceAsync(h.Options.Timers.ConnectingPrompt);
        Assert.Equal(["sound:112/kk/connecting"], h.Media);
    }

    [Fact]
    public async Task A_direct_102_call_goes_to_police_without_any_menu()
    {
        var options = TestOptions.Default();
        options.Ivr.TrustChannelLanguage = true; // the endpoint's language= is set on purpose
        var h = new CallHarness(["direct", "police"], options: options, channelLanguage: "kk");
        await h.StartAsync();
        Assert.Equal(CallState.Dialing, h.State);
        await h.AdvanceAsync(h.Options.Timers.ConnectingPrompt);
        Assert.Equal(["sound:112/kk/connecting"], h.Media);
        Assert.Equal("direct:police", h.Call.Snapshot.Entry);
        Assert.Equal("PJSIP/police-almaty-1", h.Telephony.Dials[0].Endpoint);
        Assert.Contains(h.Journal.Records.OfType<CallRecord>(), r => r.Entry == "direct:police");
    }

    [Fact]
    public async Task An_SOS_button_goes_to_its_agency_in_its_region_with_its_location()
    {
        var h = new CallHarness(["sos"], callerNumber: "+77170000201");
        await h.StartAsync();
        Assert.Equal(("police", "astana"), (h.Call.Snapshot.Agency, h.Call.Snapshot.Region));
        var dial = h.Telephony.Dials[0];
        Assert.Equal("PJSIP/police-astana-1", dial.Endpoint);
        Assert.Equal("Astana, Republic Ave 5, pole 3", dial.Variables["ROUTING112_LOCATION"]);
        Assert.DoesNotContain(h.Media, m => m.Contains("menu", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_SOS_button_goes_to_a_call_taker()
    {
        var h = new CallHarness(["sos", "pole-999"], callerNumber: "+77259990000");
        await h.StartAsync();
        Assert.Equal(CallState.OperatorQueue, h.State);
        Assert.Equal("sound:112/ru/stay-on-line", h.LastMedia);
        Assert.Equal("PJSIP/calltakers-1", h.Telephony.Dials[0].Endpoint);
        Assert.Equal(["dialed", "operator", Caller], h.Telephony.Dials[0].AppArgs);
    }

    [Fact]
    public async Task A_silent_caller_hears_the_menu_twice_then_the_silent_call_prompt_then_reaches_a_call_taker()
    {
        var h = new CallHarness();
        await h.StartAsync();
        await h.FinishPromptAsync(); // greeting
        await h.FinishPromptAsync(); // language menu
        await h.AdvanceAsync(h.Options.Timers.MenuDigit);
        Assert.Equal("sound:112/ru/language-menu", h.LastMedia);
        Assert.Equal(2, h.Media.Count(m => m.EndsWith("language-menu", StringComparison.Ordinal)));
        await h.FinishPromptAsync();
        await h.AdvanceAsync(h.Options.Timers.MenuDigit);
        Assert.Equal("sound:112/ru/silent-call", h.LastMedia);
        Assert.Equal(CallState.Classifying, h.State);
        await h.FinishPromptAsync();

        Assert.Equal(CallState.OperatorQueue, h.State);
        Assert.Equal("sound:112/ru/stay-on-line", h.LastMedia);
        await h.AnswerLegAsync();
        Assert.Equal(CallState.Connected, h.State);
        await h.SendAsync(new CallInput.LegEnded(h.LastLeg, 16, "Normal Clearing"));
        await h.EndedAsync();
        Assert.Equal(["Completed"], h.Outcomes);
        Assert.Equal("unclassified", h.Observer.Ended[0].Agency);
        Assert.Contains($"hangup {Caller} Normal", h.Telephony.Commands);
    }

    [Fact]
    public async Task Stopping_a_prompt_that_had_just_finished_is_counted_not_recorded()
    {
        // Asterisk: DELETE /playbacks/{id} answers 404 "Playback not found" once the prompt ended on
        // its own, before its PlaybackFinished reached us. Nothing happened to the call.
        var h = new CallHarness();
        await h.StartAsync();
        var greeting = h.LastPlaybackId;
        h.Telephony.Fail($"stopPlayback {greeting}", resourceGone: true);

        await h.DigitAsync('3');

        Assert.Equal("sound:112/en/service-menu", h.LastMedia);
        Assert.Empty(h.Journal.EventsOf("command.gone"));
        Assert.Empty(h.Journal.EventsOf("command.failed"));
        Assert.Contains("expectedRaceLost stopPlayback", h.Observer.Seen);
    }

    [Fact]
    public async Task A_digit_during_a_prompt_barges_in()
    {
        var h = new CallHarness();
        await h.StartAsync();
        var greeting = h.LastPlaybackId;
        await h.DigitAsync('3'); // during the greeting: answers the language menu
        Assert.Contains($"stopPlayback {greeting}", h.Telephony.Commands);
        Assert.Equal("sound:112/en/service-menu", h.LastMedia);
        await h.DigitAsync('1'); // during the service menu
        Assert.Equal("fire", h.Call.Snapshot.Agency);
        Assert.Equal(CallState.Dialing, h.State);
        // The stopped prompt's own PlaybackFinished comes later and changes nothing.
        await h.SendAsync(new CallInput.PlaybackFinished(greeting, false));
        Assert.Equal(CallState.Dialing, h.State);
    }

    [Fact]
    public async Task An_invalid_digit_replays_the_menu_and_counts_as_a_repeat()
    {
        var h = new CallHarness();
        await h.StartAsync();
        await h.FinishPromptAsync();
        await h.FinishPromptAsync();
        await h.DigitAsync('9');
        Assert.Equal("sound:112/ru/language-menu", h.LastMedia);
        Assert.Single(h.Journal.EventsOf("dtmf.invalid"));
        await h.FinishPromptAsync();
        await h.DigitAsync('#');
        // MenuRepeats = 1 used up by the first invalid digit: a person pressing keys goes to a call-taker.
        Assert.Equal(CallState.OperatorQueue, h.State);
        Assert.DoesNotContain(h.Media, m => m.EndsWith("silent-call", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_invalid_service_digit_replays_the_service_menu_in_the_chosen_language()
    {
        var h = new CallHarness();
        await h.StartAsync();
        await h.DigitAsync('2');
        await h.DigitAsync('7');
        Assert.Equal("sound:112/ru/service-menu", h.LastMedia);
        Assert.Equal(2, h.Media.Count(m => m.EndsWith("service-menu", StringComparison.Ordinal)));
        await h.DigitAsync('4');
        Assert.Equal("gas", h.Call.Snapshot.Agency);
    }

    [Fact]
    public async Task A_stale_playback_finished_is_ignored()
    {
        var h = new CallHarness();
        await h.StartAsync();
        await h.SendAsync(new CallInput.PlaybackFinished("someone-elses-playback", false));
        Assert.Equal(["sound:112/ru/greeting"], h.Media);
        Assert.Equal(CallState.Classifying, h.State);
    }

    [Fact]
    public async Task The_agency_hanging_up_ends_the_call_for_the_caller_too()
    {
        var h = new CallHarness(["direct", "fire"]);
        await h.StartAsync();
        await h.AnswerLegAsync();
        var leg = h.LastLeg;
        await h.SendAsync(new CallInput.LegEnded(leg, 16, "Normal Clearing"));
        await h.EndedAsync();
        Assert.Equal(["Completed"], h.Outcomes);
        Assert.Equal([$"hangup {Caller} Normal", $"destroyBridge {h.Call.CallId}"], h.Telephony.Commands.TakeLast(2));
        Assert.DoesNotContain($"hangup {leg} Normal", h.Telephony.Commands);
    }

    [Fact]
    public async Task A_leg_that_answers_after_we_gave_up_on_it_is_released()
    {
        var h = new CallHarness(["direct", "fire"]);
        await h.StartAsync();
        var first = h.LastLeg;
        await h.AdvanceAsync(TimeSpan.FromSeconds(20)); // ring timeout of fire-almaty-1
        Assert.Contains($"hangup {first} NoAnswer", h.Telephony.Commands);
        await h.SendAsync(new CallInput.LegAnswered(first));
        Assert.Contains($"hangup {first} AnsweredElsewhere", h.Telephony.Commands);
        Assert.Equal(CallState.Dialing, h.State);
        Assert.Equal("PJSIP/fire-almaty-2", h.Telephony.Dials[^1].Endpoint);
    }

    [Fact]
    public async Task A_hostile_caller_number_reaches_the_agency_and_the_ledger_only_as_digits()
    {
        var hostile = "+7727'; DROP TABLE calls;--\u0000{0}%s" + new string('5', 10_000);
        var h = new CallHarness(["direct", "police"], callerNumber: hostile);
        await h.StartAsync();
        var record = Assert.Single(h.Journal.Records.OfType<CallRecord>());
        Assert.Matches(@"^\+[0-9]{1,31}$", record.CallerNumber);
        Assert.StartsWith("+7727055", record.CallerNumber, StringComparison.Ordinal);
        Assert.Equal($"\"112 {record.CallerNumber}\" <{record.CallerNumber}>", h.Telephony.Dials[0].CallerId);
        Assert.Contains(h.Journal.EventsOf("classification.note"), e => e.Detail.StartsWith("caller number cleaned", StringComparison.Ordinal));
        Assert.Equal("almaty", h.Call.Snapshot.Region);
    }

    [Fact]
    public async Task An_anonymous_caller_is_routed_to_the_default_region_and_presented_as_anonymous()
    {
        var h = new CallHarness(["direct", "police"], callerNumber: "anonymous");
        await h.StartAsync();
        Assert.Equal("almaty", h.Call.Snapshot.Region);
        Assert.Equal("\"112 anonymous\" <anonymous>", h.Telephony.Dials[0].CallerId);
        await h.HangUpAsync();
        await h.EndedAsync();
        Assert.Equal("anonymous hung up in Dialing", Assert.Single(h.Journal.EventsOf("callback.required")).Detail);
    }

    [Fact]
    public async Task The_snapshot_follows_the_call()
    {
        var h = new CallHarness(["sos"], callerNumber: "+77270000101");
        Assert.Equal(CallState.Arrived, h.Call.Snapshot.State);
        await h.StartAsync();
        var s = h.Call.Snapshot;
        Assert.Equal((h.Call.CallId, CallState.Dialing, (CallOutcome?)null, "police", "almaty", "sos", $"police-{Caller}-1", 1),
            (s.CallId, s.State, s.Outcome, s.Agency, s.Region, s.Entry, s.CurrentLegChannelId, s.Attempts));
        Assert.True(Guid.TryParse(h.Call.CallId, out var id) && id.Version == 7);
        await h.HangUpAsync();
        await h.EndedAsync();
        Assert.Equal((CallState.Ended, CallOutcome.AbandonedInQueue), (h.Call.Snapshot.State, h.Call.Snapshot.Outcome));
    }

    [Fact]
    public async Task After_the_call_has_ended_posting_is_refused_and_completion_is_done()
    {
        var h = new CallHarness();
        await h.StartAsync();
        await h.HangUpAsync();
        await h.EndedAsync();
        Assert.False(h.Call.Post(new CallInput.CallerHungUp(16)));
        Assert.True(h.Call.Completion.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Reconciled_restarts_the_wait_for_the_ringing_leg_but_not_the_dialing_bound()
    {
        var h = new CallHarness(["direct", "police"]);
        await h.StartAsync();
        var first = h.LastLeg;
        await h.AdvanceAsync(TimeSpan.FromSeconds(15));
        await h.SendAsync(new CallInput.Reconciled());
        await h.AdvanceAsync(TimeSpan.FromSeconds(10)); // 25 s after the dial; ring timer re-armed at 15 s
        Assert.Equal(first, h.LastLeg);
        await h.AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.NotEqual(first, h.LastLeg);
        Assert.Contains(h.Journal.EventsOf("reconciled"), e => e.Detail == "Dialing");
    }

    [Fact]
    public async Task An_answer_found_by_reconciliation_and_then_the_real_StasisStart_connect_the_call_once()
    {
        var h = new CallHarness(["direct", "police"]);
        await h.StartAsync();
        var leg = h.LastLeg;
        // The engine finds the leg Up in Stasis after a gap and posts LegAnswered; the StasisStart
        // that was thought lost then arrives as well.
        await h.SendAsync(new CallInput.Reconciled(), new CallInput.LegAnswered(leg));
        Assert.Equal(CallState.Connected, h.State);
        var commands = h.Telephony.Commands.Count;
        await h.SendAsync(new CallInput.LegAnswered(leg));
        Assert.Equal(CallState.Connected, h.State);
        Assert.Equal(commands, h.Telephony.Commands.Count); // no second addToBridge, no hang-up
        Assert.Single(h.Journal.EventsOf("leg.answered"));
        Assert.Single(h.Journal.EventsOf("connected"));
        Assert.Single(h.Observer.Answered);
        Assert.DoesNotContain(h.Journal.EventsOf("input.ignored"), e => e.Detail.StartsWith("LegAnswered", StringComparison.Ordinal));
        await h.HangUpAsync();
        await h.EndedAsync();
        Assert.Equal(["Completed"], h.Outcomes);
    }

    [Fact]
    public async Task A_mobile_app_caller_gets_the_same_menus_as_112()
    {
        var h = new CallHarness(["app"]);
        await h.ChooseAsync('3', '3');
        Assert.Equal(("app", "ambulance", "en"), (h.Call.Snapshot.Entry, h.Call.Snapshot.Agency, h.Call.Snapshot.Language));
        Assert.Equal("app", h.Telephony.Dials[0].Variables["ROUTING112_ENTRY"]);
    }

    [Fact]
    public async Task Garbled_stasis_args_are_still_answered_as_112_and_the_reason_is_on_record()
    {
        var h = new CallHarness(["\u0000weird", "args", "here", "x"]);
        await h.StartAsync();
        Assert.Equal(CallState.Classifying, h.State);
        Assert.Contains(h.Journal.EventsOf("classification.note"), e => e.Detail.StartsWith("unrecognised Stasis args", StringComparison.Ordinal));
        Assert.True(h.IndexOf("journal:call") < h.Log.Entries.ToList().FindIndex(e => e.StartsWith("telephony:", StringComparison.Ordinal)));
    }
}
