using Routing.Asterisk.Ari;
using Routing.Simulator;

namespace Routing.Engine.Tests;

/// <summary>
/// A bridge whose destroy Asterisk never answered (a real Asterisk at 150 calls/s left four such bridges) and that
/// the app no longer watches is not among the app's bridge_ids, so only the engine remembers it: the next sweep
/// destroys it.
/// </summary>
public sealed class LeftoverBridgeTests
{
    [Fact]
    public async Task A_bridge_whose_destroy_got_no_answer_is_destroyed_by_the_next_sweep()
    {
        await using var harness = await EngineHarness.StartAsync(settings: new Dictionary<string, string?> { ["Asterisk:Ari:RequestTimeout"] = "00:00:03" });
        using var ari = new AriRestClient(harness.Configuration.Ari);
        harness.Asterisk.StallRequests("DELETE", "bridges/*");

        var call = await harness.Asterisk.PlaceCallAsync(new CallScript("+77271234567", "102", TalkFor: TimeSpan.FromSeconds(1)), CancellationToken.None);
        await harness.WaitUntilAsync(() => harness.Asterisk.StalledRequests.Any(r => r.Method == "DELETE"), "the call's destroyBridge to stall");
        var bridgePath = harness.Asterisk.StalledRequests.First(r => r.Method == "DELETE").Path;
        var bridgeId = bridgePath[(bridgePath.LastIndexOf('/') + 1)..];

        // As on the real Asterisk: the app no longer watches the empty bridge, so the sweep's bridge_ids never show it.
        await ari.UnsubscribeAsync("routing112", [$"bridge:{bridgeId}"]);
        Assert.DoesNotContain(bridgeId, (await ari.GetApplicationAsync("routing112")).BridgeIds ?? []);

        var record = await harness.WaitForOutcomeAsync(call.ChannelId);
        Assert.Equal("Completed", record.Outcome);
        await harness.WaitUntilAsync(() => !harness.Asterisk.LiveBridgeIds.Contains(bridgeId),
            $"the sweep to destroy bridge {bridgeId}, whose first destroy stalled");
        Assert.Equal(2, harness.Asterisk.Requests.Count(r => r.Method == "DELETE" && r.Path == bridgePath));
    }
}
