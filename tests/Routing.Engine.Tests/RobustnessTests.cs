using Routing.Simulator;

namespace Routing.Engine.Tests;

/// <summary>Bad input and lost connections disturb nothing else and lose no call.</summary>
public sealed class RobustnessTests
{
    private static IReadOnlyList<DtmfStep> Digits(params char[] digits) =>
        digits.Select(d => new DtmfStep(d, TimeSpan.FromMilliseconds(150))).ToList();

    [Fact]
    public async Task An_unknown_ARI_event_and_a_malformed_frame_do_not_disturb_calls_in_progress()
    {
        await using var harness = await EngineHarness.StartAsync();
        var first = await harness.Asterisk.PlaceCallAsync(new CallScript("+77271110001", "112", Dtmf: Digits('2', '2'), TalkFor: TimeSpan.FromSeconds(1)), CancellationToken.None);
        var second = await harness.Asterisk.PlaceCallAsync(new CallScript("+77171110002", "101", TalkFor: TimeSpan.FromSeconds(1)), CancellationToken.None);

        await harness.Asterisk.InjectRawFrameAsync("""{"type":"SomethingAsteriskAddsIn2030","timestamp":"2026-11-24T02:13:02.214+0000","application":"routing112","payload":{"x":1}}""");
        await harness.Asterisk.InjectRawFrameAsync("{\"type\":\"ChannelDtmfReceived\",\"digit\":");
        await harness.Asterisk.InjectRawFrameAsync("not json at all \u0001\u0002");

        var firstEnd = await first.Ended.WaitAsync(EngineHarness.CallTimeout);
        var secondEnd = await second.Ended.WaitAsync(EngineHarness.CallTimeout);
        Assert.Equal("police-almaty-1", firstEnd.BridgedWith);
        Assert.Equal("fire-astana-1", secondEnd.BridgedWith);
        Assert.Equal("Completed", (await harness.WaitForOutcomeAsync(first.ChannelId)).Outcome);
        Assert.Equal("Completed", (await harness.WaitForOutcomeAsync(second.ChannelId)).Outcome);
    }

    [Fact]
    public async Task A_hostile_caller_id_is_routed_and_recorded_without_harm()
    {
        await using var harness = await EngineHarness.StartAsync();
        var hostile = "+7727'); DROP TABLE calls;--\u0000\u001b[31m" + new string('9', 5000);

        var (call, end) = await harness.CallAsync(new CallScript(hostile, "102", CallerName: "{0}{1}%s%n\r\nEvil: 1", TalkFor: TimeSpan.FromSeconds(1)));

        Assert.NotNull(end.BridgedWith);
        var record = await harness.WaitForOutcomeAsync(call.ChannelId);
        Assert.Equal("Completed", record.Outcome);
        Assert.DoesNotContain('\u0000', record.CallerNumber);
    }

    [Fact]
    public async Task After_the_ARI_websocket_drops_the_engine_reconnects_and_still_routes_calls()
    {
        await using var harness = await EngineHarness.StartAsync();

        await harness.Asterisk.DropWebSocketsAsync(abort: true);
        await harness.WaitUntilAsync(() => harness.Asterisk.ConnectedEventSockets > 0, "the engine to reconnect");
        var (call, end) = await harness.CallAsync(new CallScript("+77271234567", "101", TalkFor: TimeSpan.FromSeconds(1)));

        Assert.Equal("fire-almaty-1", end.BridgedWith);
        Assert.Equal("Completed", (await harness.WaitForOutcomeAsync(call.ChannelId)).Outcome);
    }

    [Fact]
    public async Task A_caller_who_hangs_up_while_the_websocket_is_down_is_closed_by_reconciliation_not_leaked()
    {
        await using var harness = await EngineHarness.StartAsync(sim => sim.UnknownEndpointBehavior = TrunkBehavior.Answers(TimeSpan.FromSeconds(30)));
        var call = await harness.Asterisk.PlaceCallAsync(new CallScript("+77271234567", "101"), CancellationToken.None);
        // Past the announcement and ringing the agency, so that its hang-up is one in the queue.
        await harness.WaitUntilAsync(() => harness.Engine.Calls.Active.Any(c => c.Snapshot.State == Routing.Calls.CallState.Dialing), "the call to ring the fire trunk");

        await harness.Asterisk.DropWebSocketsAsync(abort: false);
        call.HangUp();
        await call.Ended.WaitAsync(EngineHarness.CallTimeout);

        await harness.WaitUntilAsync(() => harness.Engine.Calls.Count == 0, "reconciliation to end the call whose hang-up was never seen");
        var record = await harness.WaitForOutcomeAsync(call.ChannelId);
        Assert.Equal("AbandonedInQueue", record.Outcome);
        await harness.WaitUntilAsync(() => harness.Asterisk.LiveChannelIds.Count == 0, "the ringing agency leg to be released");
    }

    [Fact]
    public async Task A_hundred_concurrent_calls_all_reach_a_terminal_outcome()
    {
        await using var harness = await EngineHarness.StartAsync(sim =>
        {
            sim.Trunks["police-almaty-1"] = TrunkBehavior.Busy(TimeSpan.FromMilliseconds(30));
            sim.Trunks["fire-almaty-1"] = TrunkBehavior.Fails(TimeSpan.FromMilliseconds(30));
        });
        var scripts = Enumerable.Range(0, 100).Select(i => (i % 5) switch
        {
            0 => new CallScript($"+7727{i:0000000}", "112", Dtmf: Digits('2', (char)('1' + (i % 4))), TalkFor: TimeSpan.FromSeconds(1)),
            1 => new CallScript($"+7717{i:0000000}", "102", TalkFor: TimeSpan.FromSeconds(1)),
            2 => new CallScript($"+7725{i:0000000}", "112", HangUpAfter: TimeSpan.FromMilliseconds(300)),
            3 => new CallScript($"+7727{i:0000000}", "101", TalkFor: TimeSpan.FromSeconds(1)),
            _ => new CallScript($"+7701{i:0000000}", "112", Dtmf: Digits('1', '3'), TalkFor: TimeSpan.FromSeconds(1)),
        }).ToList();

        var calls = await Task.WhenAll(scripts.Select(s => harness.Asterisk.PlaceCallAsync(s, CancellationToken.None)));
        await Task.WhenAll(calls.Select(c => c.Ended)).WaitAsync(TimeSpan.FromSeconds(60));

        var outcomes = await Task.WhenAll(calls.Select(c => harness.WaitForOutcomeAsync(c.ChannelId)));
        Assert.All(outcomes, o => Assert.Contains(o.Outcome, new[] { "Completed", "AbandonedInIvr", "AbandonedInQueue", "FailedOver" }));
        // Only the 20 callers who give up after 300 ms abandon in the IVR; anyone else there is a defect: say who and why.
        var strays = Enumerable.Range(0, calls.Length).Where(i => (outcomes[i].Outcome == "AbandonedInIvr") != (i % 5 == 2))
            .Select(i => $"caller {i} ({scripts[i].Dialed}, digits {string.Concat(scripts[i].Dtmf?.Select(d => d.Digit) ?? [])}): {outcomes[i]}\n  simulator: {calls[i]}")
            .ToList();
        Assert.True(strays.Count == 0, string.Join("\n", strays));
        await harness.WaitUntilAsync(() => harness.Engine.Calls.Count == 0, "no call left live in the engine");
        await harness.WaitUntilAsync(() => harness.Asterisk.LiveBridgeIds.Count == 0, "no bridge left in Asterisk");
    }

    [Fact]
    public async Task A_call_the_dialplan_routes_while_our_app_is_unavailable_is_still_recorded_from_AMI()
    {
        // The engine listens as another app, so 112 calls find routing112 absent, as when the
        // engine is down: Stasis() fails at once and the dialplan's own fallback dials the police.
        await using var harness = await EngineHarness.StartAsync(settings: new Dictionary<string, string?> { ["Asterisk:Ari:Application"] = "routing112-standby" });

        var (call, end) = await harness.CallAsync(new CallScript("+77271234567", "112", TalkFor: TimeSpan.FromSeconds(1)));

        Assert.NotNull(end.FallbackEndpoint);
        var record = await harness.WaitForOutcomeAsync(call.ChannelId);
        Assert.Equal(("fallback", "FailedOver"), (record.Entry, record.Outcome));
        Assert.Contains("stasis.failed", record.EventKinds);
    }

    [Fact]
    public async Task Metrics_show_calls_by_agency_and_outcome_and_the_answer_time_histogram()
    {
        await using var harness = await EngineHarness.StartAsync();
        var (call, _) = await harness.CallAsync(new CallScript("+77271234567", "104", TalkFor: TimeSpan.FromSeconds(1)));
        await harness.WaitForOutcomeAsync(call.ChannelId);

        using var http = new HttpClient { BaseAddress = new Uri(harness.AdminUrl) };
        var metrics = await http.GetStringAsync("/metrics");

        Assert.Contains("routing_calls_total{agency=\"gas\",outcome=\"Completed\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("routing_agency_answer_seconds_bucket{agency=\"gas\"", metrics, StringComparison.Ordinal);
        Assert.Contains("routing_calls_active{state=", metrics, StringComparison.Ordinal);
    }
}
