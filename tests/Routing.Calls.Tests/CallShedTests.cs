using Routing.Calls.Ports;
using Routing.Calls.Tests.Fakes;

namespace Routing.Calls.Tests;

/// <summary>A caller shed under overload: on record first, then handed unanswered to the dialplan fallback.</summary>
public class CallShedTests
{
    private const string Caller = CallHarness.CallerChannel;

    [Fact]
    public async Task A_shed_caller_is_recorded_then_continued_to_the_fallback_with_one_command_and_ends_Shed()
    {
        var h = new CallHarness(["direct", "fire"]);
        h.Call.StartShed("rest_latency: REST latency 900 ms");
        await h.EndedAsync();

        Assert.Equal([$"continue {Caller}"], h.Telephony.Commands);
        Assert.Equal(["Shed"], h.Outcomes);
        Assert.Equal("rest_latency: REST latency 900 ms", Assert.Single(h.Journal.EventsOf("shed")).Detail);
        Assert.True(h.IndexOf("journal:call") < h.IndexOf($"telephony:continue {Caller}"), string.Join("\n", h.Log.Entries));
        Assert.True(h.IndexOf("journal:failover shed: to the dialplan fallback") < h.IndexOf($"telephony:continue {Caller}"), string.Join("\n", h.Log.Entries));
        Assert.Empty(h.Journal.EventsOf("callback.required")); // the fallback routes the caller: nobody to call back
        Assert.Equal(("fire", CallOutcome.Shed), (h.Observer.Ended[0].Agency, h.Observer.Ended[0].Outcome));
    }

    [Fact]
    public async Task A_shed_caller_whose_channel_is_already_gone_still_ends_Shed_on_record()
    {
        var h = new CallHarness(["direct", "police"], setup: t => t.Fail("continue", resourceGone: true));
        h.Call.StartShed("event_backlog: event backlog 3000");
        await h.EndedAsync();
        Assert.Equal(["Shed"], h.Outcomes);
        Assert.Equal("shed: to the dialplan fallback", Assert.Single(h.Journal.EventsOf(FailoverEvents.Tried)).Detail);
        Assert.Equal($"continue {Caller} (Gone): Channel not found", Assert.Single(h.Journal.EventsOf(FailoverEvents.Failed)).Detail);
    }

    [Fact]
    public void A_shed_needs_a_reason()
    {
        var h = new CallHarness();
        Assert.Throws<ArgumentException>(() => h.Call.StartShed(" "));
    }
}
