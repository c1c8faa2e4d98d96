using System.Text;
using Routing.Asterisk.Ari;
using Routing.Calls.Ports;
using Routing.Engine.Calls;

namespace Routing.Engine.Tests;

/// <summary>The recorded 112 → fire call, event by event, as the call domain must hear it.</summary>
public sealed class AriEventTranslatorTests
{
    private const string Caller = "1795486382.2";
    private const string FireLeg = "fire-1795486382.2";

    private static List<(AriEvent Event, string? Channel)> Recorded(string file) =>
        File.ReadLines(Traces.PathOf(file))
            .Select(line => AriEventParser.Parse(Encoding.UTF8.GetBytes(line)))
            .Select(e => (e, AriEventTranslator.ChannelOf(e)))
            .ToList();

    [Fact]
    public void The_recorded_112_fire_call_becomes_dtmf_then_leg_ringing_and_answered_then_hang_ups()
    {
        var inputs = Recorded("ari-call-112-fire.events.jsonl")
            .Where(x => x.Channel is Caller or FireLeg)
            .Select(x => AriEventTranslator.Translate(x.Event, x.Channel!, isCaller: x.Channel == Caller))
            .OfType<CallInput>()
            .ToList();

        Assert.Equal(
            [
                new CallInput.PlaybackFinished("pb-beep-1795486382.2", Failed: false),
                new CallInput.CallerDtmf('5'),
                new CallInput.LegRinging(FireLeg),
                new CallInput.LegAnswered(FireLeg),
                new CallInput.CallerDtmf('7'),
                new CallInput.CallerHungUp(32),
                new CallInput.CallerHungUp(null),
                new CallInput.LegEnded(FireLeg, 16, "Normal Clearing"),
            ],
            inputs);
    }

    [Fact]
    public void A_busy_agency_leg_ends_with_cause_17_and_never_counts_as_answered()
    {
        var busy = Recorded("ari-originate-failures.events.jsonl")
            .Where(x => x.Event is ChannelDestroyed { Cause: 17 })
            .Select(x => AriEventTranslator.Translate(x.Event, x.Channel!, isCaller: false))
            .ToList();

        Assert.NotEmpty(busy);
        Assert.All(busy, input => Assert.Equal(17, Assert.IsType<CallInput.LegEnded>(input).Cause));
    }

    [Fact]
    public void Events_about_no_channel_are_routed_nowhere()
    {
        var bridgeDestroyed = Recorded("ari-call-112-fire.events.jsonl").Single(x => x.Event is BridgeDestroyed);

        Assert.Null(bridgeDestroyed.Channel);
    }
}
