using Routing.Simulator;

namespace Routing.Engine.Tests.Overload;

/// <summary>An Asterisk that falls behind (every REST request delayed): new callers go to the dialplan
/// fallback at once and are recorded as shed, a caller already being routed is not touched, nobody is left
/// in Stasis, and the engine takes callers again by itself once the lag is gone. Nothing here is timed:
/// the lag is far above the threshold, and recovery is awaited by placing callers until one is routed.</summary>
public class OverloadEndToEndTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Overload:Enabled"] = "true",
        ["Overload:RestLatency"] = "00:00:00.200",
        ["Overload:EventAge"] = "00:00:00",
        ["Overload:EventBacklog"] = "0",
        ["Overload:LedgerBacklog"] = "0",
        ["Overload:Window"] = "00:00:02",
        ["Overload:RecoverFraction"] = "0.5",
        ["Overload:RecoverAfter"] = "00:00:00.300",
        // The engine's own shedding, caller by caller; the dialplan's share is the next test's.
        ["Overload:DialplanFlag"] = "false",
    };

    private static readonly Dictionary<string, string?> WithDialplanFlag = new(Settings) { ["Overload:DialplanFlag"] = "true" };

    private static CallScript Fire(int i) => new($"+7727123{i:0000}", "101", TalkFor: TimeSpan.FromMilliseconds(100));

    [Fact]
    public async Task Callers_arriving_while_Asterisk_lags_are_shed_to_the_fallback_and_recorded_and_routing_resumes_when_it_catches_up()
    {
        await using var harness = await EngineHarness.StartAsync(settings: Settings);

        var before = await harness.CallAsync(Fire(0));
        Assert.Equal("Completed", (await harness.WaitForOutcomeAsync(before.Call.ChannelId)).Outcome);

        harness.Asterisk.RestDelay = TimeSpan.FromMilliseconds(600);
        // The first caller meets an engine that has not yet seen the lag: it is routed, slowly, to the end.
        var routedSlowly = await harness.Asterisk.PlaceCallAsync(Fire(1), CancellationToken.None);
        await harness.WaitUntilAsync(() => harness.Asterisk.Requests.Any(r => r.Path == $"/ari/channels/{routedSlowly.ChannelId}/answer"), "the slow answer");

        var shed = new List<SimulatedCall>();
        for (var i = 2; i < 12 && shed.Count < 3; i++)
        {
            var call = await harness.Asterisk.PlaceCallAsync(Fire(i), CancellationToken.None);
            var record = await harness.WaitForOutcomeAsync(call.ChannelId);
            if (record.Outcome == "Shed") shed.Add(call);
        }
        Assert.Equal(3, shed.Count);

        foreach (var call in shed)
        {
            var end = await call.Ended.WaitAsync(EngineHarness.CallTimeout);
            Assert.Contains("fire", end.FallbackEndpoint ?? "", StringComparison.Ordinal);
            var record = await harness.WaitForOutcomeAsync(call.ChannelId);
            Assert.Contains("shed", record.EventKinds);
            Assert.Contains(record.Events, e => e.Contains("shed rest_latency: ", StringComparison.Ordinal));
            Assert.Empty(record.Legs); // never dialled by the engine: the fallback routed it
            // Handed over with one request, unanswered: no answer, no variables. (The sweeper may look the
            // channel up, late, with a GET: that changes nothing.)
            Assert.Equal([$"POST /ari/channels/{call.ChannelId}/continue"], harness.Asterisk.Requests
                .Where(r => r.Method != "GET" && r.Path.Contains(call.ChannelId, StringComparison.Ordinal)).Select(r => $"{r.Method} {r.Path}"));
        }

        var slow = await harness.WaitForOutcomeAsync(routedSlowly.ChannelId);
        Assert.Equal("Completed", slow.Outcome); // already with an agency when shedding began: never shed

        using (var http = new HttpClient { BaseAddress = new Uri(harness.AdminUrl) })
        {
            var metrics = await http.GetStringAsync("/metrics");
            Assert.Contains("routing_calls_shed_total{signal=\"rest_latency\"}", metrics, StringComparison.Ordinal);
            Assert.Contains("routing_overload_shedding 1", metrics, StringComparison.Ordinal);
        }

        harness.Asterisk.RestDelay = TimeSpan.Zero;
        string? recovered = null;
        for (var i = 20; i < 220 && recovered is null; i++)
        {
            var call = await harness.Asterisk.PlaceCallAsync(Fire(i), CancellationToken.None);
            var record = await harness.WaitForOutcomeAsync(call.ChannelId);
            if (record.Outcome == "Completed") recovered = call.ChannelId;
            else Assert.Equal("Shed", record.Outcome);
        }
        Assert.NotNull(recovered);

        await harness.WaitUntilAsync(() => harness.Asterisk.ChannelIdsInStasis.Count == 0, "no channel left in Stasis");
    }

    [Fact]
    public async Task While_the_engine_sheds_the_dialplan_sheds_new_callers_before_Stasis_and_they_are_recorded_as_shed_until_it_recovers()
    {
        await using var harness = await EngineHarness.StartAsync(settings: WithDialplanFlag);
        var before = await harness.CallAsync(Fire(0));
        Assert.Equal("Completed", (await harness.WaitForOutcomeAsync(before.Call.ChannelId)).Outcome);
        Assert.False(FlagUp(harness), "the flag is up on an idle engine");

        harness.Asterisk.RestDelay = TimeSpan.FromMilliseconds(600);
        // Callers until one never reaches Stasis: the engine sheds first, then raises the flag within a second.
        SimulatedCall? shedByDialplan = null;
        for (var i = 1; i < 60 && shedByDialplan is null; i++)
        {
            var call = await harness.Asterisk.PlaceCallAsync(Fire(i), CancellationToken.None);
            await call.Ended.WaitAsync(EngineHarness.CallTimeout);
            if (!call.ReachedStasis) shedByDialplan = call;
        }

        Assert.NotNull(shedByDialplan);
        Assert.Contains("fire", (await shedByDialplan.Ended).FallbackEndpoint ?? "", StringComparison.Ordinal);
        var record = await harness.WaitForOutcomeAsync(shedByDialplan.ChannelId);
        Assert.Equal("Shed", record.Outcome);
        Assert.Equal("fallback", record.Entry);
        Assert.Contains(record.Events, e => e.Contains(" shed by the dialplan in ", StringComparison.Ordinal));
        Assert.DoesNotContain(harness.Asterisk.Requests, r => r.Path.Contains(shedByDialplan.ChannelId, StringComparison.Ordinal));

        harness.Asterisk.RestDelay = TimeSpan.Zero;
        string? routed = null;
        for (var i = 100; i < 300 && routed is null; i++)
        {
            var call = await harness.Asterisk.PlaceCallAsync(Fire(i), CancellationToken.None);
            var outcome = (await harness.WaitForOutcomeAsync(call.ChannelId)).Outcome;
            if (outcome == "Completed") routed = call.ChannelId;
            else Assert.Equal("Shed", outcome);
        }

        Assert.NotNull(routed);
        await harness.WaitUntilAsync(() => !FlagUp(harness), "the flag cleared once the engine recovered");
        await harness.WaitUntilAsync(() => harness.Asterisk.ChannelIdsInStasis.Count == 0, "no channel left in Stasis");
    }

    private static bool FlagUp(EngineHarness harness) =>
        harness.Asterisk.GlobalVariables.TryGetValue(DialplanOptions.ShedUntilVariable, out var until) && until.Length > 0;
}
