using Routing.Simulator;

namespace Routing.Engine.Tests;

/// <summary>Whole calls over loopback sockets: simulated Asterisk ⇄ ARI ⇄ engine ⇄ ledger.</summary>
public sealed class EndToEndCallTests
{
    // appsettings.json: language 1 kk, 2 ru, 3 en; service 1 fire, 2 police, 3 ambulance, 4 gas.
    private static IReadOnlyList<DtmfStep> Digits(params char[] digits) =>
        digits.Select(d => new DtmfStep(d, TimeSpan.FromMilliseconds(150))).ToList();

    [Theory]
    [InlineData("Http")]
    [InlineData("WebSocket")]
    public async Task A_112_call_choosing_fire_is_bridged_to_the_fire_trunk_of_its_region_and_every_leg_is_on_record(string restTransport)
    {
        await using var harness = await EngineHarness.StartAsync(settings: new Dictionary<string, string?> { ["Asterisk:RestTransport"] = restTransport });

        var (call, end) = await harness.CallAsync(new CallScript("+77271234567", "112", Dtmf: Digits('2', '1'), TalkFor: TimeSpan.FromSeconds(1)));

        Assert.Equal("fire-almaty-1", end.BridgedWith);
        Assert.Equal("caller", end.HungUpBy);
        var record = await harness.WaitForOutcomeAsync(call.ChannelId);
        Assert.Equal("Completed", record.Outcome);
        Assert.Equal("+77271234567", record.CallerNumber);
        var leg = Assert.Single(record.Legs);
        Assert.Equal(("fire", "almaty", "fire-almaty-1", "PJSIP/fire-almaty-1"), (leg.Agency, leg.Region, leg.Trunk, leg.Endpoint));
        Assert.Contains(record.EventKinds, k => k == "leg.answered");
    }

    [Fact]
    public async Task When_the_primary_trunk_is_busy_the_secondary_trunk_answers()
    {
        await using var harness = await EngineHarness.StartAsync(sim => sim.Trunks["police-astana-1"] = TrunkBehavior.Busy(TimeSpan.FromMilliseconds(50)));

        var (call, end) = await harness.CallAsync(new CallScript("+77172000000", "112", Dtmf: Digits('3', '2'), TalkFor: TimeSpan.FromSeconds(1)));

        Assert.Equal("police-astana-2", end.BridgedWith);
        var record = await harness.WaitForOutcomeAsync(call.ChannelId);
        Assert.Equal(["police-astana-1", "police-astana-2"], record.Legs.Select(l => l.Trunk));
        Assert.Equal("Completed", record.Outcome);
    }

    [Fact]
    public async Task A_caller_who_presses_nothing_is_put_through_to_a_human_call_taker()
    {
        await using var harness = await EngineHarness.StartAsync();

        var (call, end) = await harness.CallAsync(new CallScript("+77251112233", "112", TalkFor: TimeSpan.FromSeconds(1)));

        var record = await harness.WaitForOutcomeAsync(call.ChannelId);
        Assert.True(end.BridgedWith == "calltakers-1", $"bridged with {end.BridgedWith}; ledger: {record}; simulator: {string.Join(" | ", call.Timeline)}");
        Assert.Equal("Completed", record.Outcome);
        Assert.Contains(call.MediaPlayed, m => m.Contains("silent-call", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_caller_who_hangs_up_in_the_menu_is_recorded_as_abandoned_in_the_IVR_with_a_callback_task()
    {
        await using var harness = await EngineHarness.StartAsync();

        var (call, end) = await harness.CallAsync(new CallScript("+77271234500", "112", HangUpAfter: TimeSpan.FromMilliseconds(150)));

        Assert.Null(end.BridgedWith);
        var record = await harness.WaitForOutcomeAsync(call.ChannelId);
        Assert.Equal("AbandonedInIvr", record.Outcome);
        Assert.Contains("callback.required", record.EventKinds);
    }

    [Fact]
    public async Task Dialling_102_goes_straight_to_the_police_without_the_menu()
    {
        await using var harness = await EngineHarness.StartAsync();

        var (call, end) = await harness.CallAsync(new CallScript("+77171234567", "102", TalkFor: TimeSpan.FromSeconds(1)));

        Assert.Equal("police-astana-1", end.BridgedWith);
        Assert.DoesNotContain(call.MediaPlayed, m => m.Contains("menu", StringComparison.Ordinal));
        var record = await harness.WaitForOutcomeAsync(call.ChannelId);
        Assert.Equal("direct:police", record.Entry);
    }

    [Fact]
    public async Task When_every_trunk_fails_the_call_is_handed_to_the_dialplan_fallback_for_its_agency()
    {
        await using var harness = await EngineHarness.StartAsync(sim =>
        {
            sim.UnknownEndpointBehavior = TrunkBehavior.Busy(TimeSpan.FromMilliseconds(20));
        });

        // Every trunk is busy, the fallback's too: the caller gives up once the dialplan has dialled it.
        var call = await harness.Asterisk.PlaceCallAsync(new CallScript("+77271230000", "103"), CancellationToken.None);
        await harness.WaitUntilAsync(() => call.FallbackEndpoint is not null, "the dialplan fallback to dial the agency");
        call.HangUp();
        var end = await call.Ended.WaitAsync(EngineHarness.CallTimeout);

        Assert.NotNull(end.FallbackEndpoint);
        Assert.Contains("ambulance", end.FallbackEndpoint!, StringComparison.Ordinal);
        var record = await harness.WaitForOutcomeAsync(call.ChannelId);
        Assert.Equal("FailedOver", record.Outcome);
        // almaty 1 and 2, then overflow to astana 1 and 2, then the national trunk (appsettings.json).
        Assert.Equal(["ambulance-almaty-1", "ambulance-almaty-2", "ambulance-astana-1", "ambulance-astana-2", "ambulance-national"], record.Legs.Select(l => l.Trunk));
    }
}
