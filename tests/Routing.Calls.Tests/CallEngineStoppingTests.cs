using Routing.Calls.Ports;
using Routing.Calls.Tests.Fakes;

namespace Routing.Calls.Tests;

/// <summary>When the engine shuts down, no caller may be left in Stasis with nobody driving the call.</summary>
public class CallEngineStoppingTests
{
    [Fact]
    public async Task A_caller_in_the_menu_is_handed_to_the_dialplan_fallback_when_the_engine_stops()
    {
        var h = new CallHarness();
        await h.StartAsync();
        Assert.Equal(CallState.Classifying, h.State);

        await h.SendAsync(new CallInput.EngineStopping());
        await h.EndedAsync();

        Assert.Equal([nameof(CallOutcome.FailedOver)], h.Outcomes);
        Assert.Equal("1", h.Telephony.Variables["ROUTING112_FAILOVER"]);
        Assert.Contains(h.Telephony.Commands, c => c.StartsWith("continue", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_ringing_agency_leg_is_released_when_the_engine_stops()
    {
        var h = new CallHarness(["direct", "fire"]);
        await h.StartAsync();
        var leg = h.LastLeg;

        await h.SendAsync(new CallInput.EngineStopping());
        await h.EndedAsync();

        Assert.Contains(h.Telephony.Commands, c => c.StartsWith($"hangup {leg}", StringComparison.Ordinal));
        Assert.Equal("fire", h.Telephony.Variables["ROUTING112_AGENCY"]);
    }

    [Fact]
    public async Task A_caller_talking_to_an_agency_stays_bridged_when_the_engine_stops()
    {
        var h = new CallHarness(["direct", "fire"]);
        await h.StartAsync();
        await h.AnswerLegAsync();
        var commandsBefore = h.Telephony.Commands.Count;

        await h.SendAsync(new CallInput.EngineStopping());
        await h.IdleAsync();

        Assert.Equal(CallState.Connected, h.State);
        Assert.Equal(commandsBefore, h.Telephony.Commands.Count);
        Assert.Empty(h.Outcomes);
    }
}
