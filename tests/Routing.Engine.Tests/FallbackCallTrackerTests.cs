using System.Buffers;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Routing.Asterisk.Ami;
using Routing.Engine.Calls;

namespace Routing.Engine.Tests;

/// <summary>A call that reached the dialplan while our Stasis app was down, as AMI recorded it
/// from a real Asterisk (ami-stasis-app-down.txt), must land in the ledger as a FailedOver call.</summary>
public sealed class FallbackCallTrackerTests
{
    private static IEnumerable<AmiMessage> Messages(string file)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(File.ReadAllText(Traces.PathOf(file))));
        var parser = new AmiFrameParser();
        while (parser.TryParse(ref buffer, out var frame))
        {
            if (frame.Message is { } message)
            {
                yield return message;
            }
        }
    }

    [Fact]
    public void The_recorded_app_down_call_is_recorded_with_its_fallback_dial_and_ends_FailedOver()
    {
        var tracker = new FallbackCallTracker(new FakeTimeProvider(DateTimeOffset.Parse("2026-11-24T02:13:00Z", System.Globalization.CultureInfo.InvariantCulture)));

        var records = Messages("ami-stasis-app-down.txt").SelectMany(tracker.Observe).ToList();

        var call = Assert.Single(records, r => r.Call is not null).Call!;
        Assert.Equal(("1795486370.0", "+4930123456", "112", "fallback"), (call.CallerChannelId, call.CallerNumber, call.DialedNumber, call.Entry));
        var events = records.Where(r => r.Event is not null).Select(r => r.Event!).ToList();
        Assert.All(events, e => Assert.Equal(call.CallId, e.CallId));
        Assert.Equal("stasis.failed", events[0].Kind);
        Assert.Contains(events, e => e.Kind == "fallback.dial" && e.Detail.Contains("police", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Kind == "fallback.dialstatus" && e.Detail == "ANSWER");
        Assert.Equal(("outcome", "FailedOver"), (events[^1].Kind, events[^1].Detail));
        Assert.Equal(0, tracker.Tracked);
    }

    [Fact]
    public void Calls_that_entered_Stasis_normally_are_not_recorded_from_AMI()
    {
        var tracker = new FallbackCallTracker(TimeProvider.System);

        Assert.Empty(Messages("ami-call-112-fire.txt").SelectMany(tracker.Observe));
    }

    [Fact]
    public void An_agency_leg_that_answers_while_our_app_is_down_is_not_recorded_as_a_caller()
    {
        // ARI's originate runs Stasis() on the answered leg; with our app down that sets
        // STASISSTATUS=FAILED on the agency's channel, in the agency endpoints' context.
        var tracker = new FallbackCallTracker(TimeProvider.System);
        var varSet = new AmiMessage(
        [
            new("Event", "VarSet"), new("Channel", "PJSIP/fire-almaty-1-00000007"), new("CallerIDNum", "+77271234567"),
            new("Context", "from-agency"), new("Exten", "s"), new("Uniqueid", "fire-1795486382.2-1"),
            new("Variable", "STASISSTATUS"), new("Value", "FAILED"),
        ]);

        Assert.Empty(tracker.Observe(varSet));
        Assert.Equal(0, tracker.Tracked);
    }

    [Fact]
    public void A_caller_the_dialplan_shed_at_the_engines_request_is_recorded_with_outcome_Shed_not_FailedOver()
    {
        var tracker = new FallbackCallTracker(TimeProvider.System);
        AmiMessage Event(string name, params (string Key, string Value)[] fields) => new(
            [new("Event", name), new("Channel", "PJSIP/pstn-00000042"), new("CallerIDNum", "+77271234567"), new("Context", "from-pstn"),
             new("Exten", "101"), new("Uniqueid", "1796590000.42"), .. fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))]);

        var records = new[]
        {
            Event("VarSet", ("Variable", "STASISSTATUS"), ("Value", "SHED")),
            Event("UserEvent", ("UserEvent", "Routing112Fallback"), ("Agency", "fire"), ("Region", "almaty"), ("StasisStatus", "SHED")),
            Event("Hangup", ("Cause", "16"), ("Cause-txt", "Normal Clearing")),
        }.SelectMany(tracker.Observe).ToList();

        var call = Assert.Single(records, r => r.Call is not null).Call!;
        Assert.Equal(("1796590000.42", "101", "fallback"), (call.CallerChannelId, call.DialedNumber, call.Entry));
        var events = records.Where(r => r.Event is not null).Select(r => r.Event!).ToList();
        Assert.Equal(["shed", "fallback.route", "hangup", "outcome"], events.Select(e => e.Kind));
        Assert.Contains("overload flag", events[0].Detail, StringComparison.Ordinal);
        Assert.Equal("Shed", events[^1].Detail);
        Assert.Equal(0, tracker.Tracked);
    }
}
