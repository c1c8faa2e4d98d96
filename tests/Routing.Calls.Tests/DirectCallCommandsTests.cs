using Routing.Calls.Ports;
using Routing.Calls.Tests.Fakes;

namespace Routing.Calls.Tests;

/// <summary>What a direct 101–104 call asks of Asterisk (issue 11): no "connecting" playback that is
/// stopped a moment later, the caller and the agency bridged in one request, the originate before the bridge.</summary>
public class DirectCallCommandsTests
{
    private const string Caller = CallHarness.CallerChannel;

    [Fact]
    public async Task An_agency_that_answers_at_once_costs_six_commands_and_no_playback()
    {
        var h = new CallHarness(["direct", "fire"]);
        await h.StartAsync();
        await h.AnswerLegAsync();
        await h.HangUpAsync();
        await h.EndedAsync();

        var bridge = h.Call.CallId;
        var leg = Assert.Single(h.Telephony.Dials).LegChannelId;
        Assert.Equal(
            [
                $"answer {Caller}",
                $"dial {leg} PJSIP/fire-almaty-1",
                $"createBridge {bridge}",
                $"addToBridge {bridge} {Caller},{leg}",
                $"hangup {leg} Normal",
                $"destroyBridge {bridge}",
            ],
            h.Telephony.Commands);
        Assert.Empty(h.Telephony.Plays);
        Assert.Equal(["Completed"], h.Outcomes);
    }

    [Fact]
    public async Task An_agency_slower_than_the_delay_lets_the_caller_hear_connecting_then_music_until_it_answers()
    {
        var h = new CallHarness(["direct", "fire"]);
        await h.StartAsync();
        await h.AdvanceAsync(h.Options.Timers.ConnectingPrompt - TimeSpan.FromMilliseconds(1));
        Assert.Empty(h.Telephony.Plays);

        await h.AdvanceAsync(TimeSpan.FromMilliseconds(1));
        Assert.Equal(["sound:112/ru/connecting"], h.Media);
        await h.FinishPromptAsync();
        await h.AnswerLegAsync();

        Assert.Equal(CallState.Connected, h.State);
        Assert.Equal([$"startMoh {Caller}", $"stopMoh {Caller}", $"addToBridge {h.Call.CallId} {Caller},{h.LastLeg}"], h.Telephony.Commands.TakeLast(3));
    }

    [Fact]
    public async Task An_agency_answering_during_connecting_stops_it_and_the_timer_never_plays_it_again()
    {
        var h = new CallHarness(["direct", "fire"]);
        await h.StartAsync();
        await h.AdvanceAsync(h.Options.Timers.ConnectingPrompt);
        var playback = h.LastPlaybackId;
        await h.AnswerLegAsync();
        await h.AdvanceAsync(TimeSpan.FromSeconds(30));

        Assert.Contains($"stopPlayback {playback}", h.Telephony.Commands);
        Assert.Single(h.Telephony.Plays);
        Assert.Equal(CallState.Connected, h.State);
    }

    [Fact]
    public async Task An_agency_that_answers_before_the_delay_means_the_prompt_is_never_due()
    {
        var h = new CallHarness(["direct", "police"]);
        await h.StartAsync();
        await h.AnswerLegAsync();
        await h.AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(h.Telephony.Plays);
        Assert.DoesNotContain(h.Journal.EventsOf("timer"), e => e.Detail.StartsWith("ConnectingPrompt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_zero_delay_plays_connecting_before_the_first_dial_as_before()
    {
        var options = TestOptions.Default();
        options.Timers.ConnectingPrompt = TimeSpan.Zero;
        var h = new CallHarness(["direct", "fire"], options: options);
        await h.StartAsync();
        var commands = h.Telephony.Commands.ToList();
        Assert.True(commands.IndexOf($"play {Caller} sound:112/ru/connecting") < commands.IndexOf($"dial {h.LastLeg} PJSIP/fire-almaty-1"), string.Join("\n", commands));
    }

    [Fact]
    public async Task An_overflow_plays_still_trying_and_not_a_late_connecting()
    {
        var h = new CallHarness(["direct", "ambulance"], callerNumber: "+77251112233");
        await h.StartAsync();
        await h.LegBusyAsync();
        await h.LegBusyAsync();
        Assert.Equal(CallState.Overflow, h.State);
        await h.AdvanceAsync(h.Options.Timers.ConnectingPrompt);
        Assert.Equal(["sound:112/ru/still-trying"], h.Media);
    }

    [Fact]
    public async Task A_caller_waiting_for_call_takers_is_in_the_bridge_before_they_ring_so_only_the_leg_is_added()
    {
        var h = new CallHarness(["sos", "pole-999"], callerNumber: "+77259990000");
        await h.StartAsync();
        Assert.Equal(CallState.OperatorQueue, h.State);
        var bridge = h.Call.CallId;
        var commands = h.Telephony.Commands.ToList();
        Assert.True(commands.IndexOf($"addToBridge {bridge} {Caller}") < commands.IndexOf($"dial {h.LastLeg} {h.Telephony.Dials[^1].Endpoint}"), string.Join("\n", commands));
        await h.SendAsync(new CallInput.LegAnswered(h.LastLeg));
        Assert.Equal($"addToBridge {bridge} {h.LastLeg}", h.Telephony.Commands.Last(c => c.StartsWith("addToBridge", StringComparison.Ordinal)));
    }
}
