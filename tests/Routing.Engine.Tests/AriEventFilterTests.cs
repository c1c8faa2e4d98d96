using Routing.Engine.Calls;
using Routing.Simulator;

namespace Routing.Engine.Tests;

/// <summary>Issue 6 item 6: the ~33 ChannelVarset events per call that Asterisk sets by itself are stopped at the source.</summary>
public sealed class AriEventFilterTests
{
    private static readonly CallScript DirectToPolice = new("+77171234567", "102", TalkFor: TimeSpan.FromSeconds(1));

    [Fact]
    public async Task A_routed_call_brings_no_ChannelVarset_once_the_engine_has_set_its_event_filter()
    {
        await using var harness = await EngineHarness.StartAsync();
        await harness.WaitUntilAsync(() => harness.Asterisk.EventsDisallowed("routing112").Count > 0, "the engine to set its ARI event filter");

        var (call, end) = await harness.CallAsync(DirectToPolice);

        Assert.Equal("police-astana-1", end.BridgedWith);
        Assert.Equal("Completed", (await harness.WaitForOutcomeAsync(call.ChannelId)).Outcome);
        Assert.Equal(0, harness.Asterisk.Stats.AriChannelVarsetsSent);
        Assert.True(harness.Asterisk.Stats.AriEventsFiltered >= 33, $"filtered at the source: {harness.Asterisk.Stats.AriEventsFiltered}");
        Assert.Equal(AriEventFilter.Disallowed.Order(), harness.Asterisk.EventsDisallowed("routing112").Order());
    }

    [Fact]
    public async Task Without_the_filter_the_same_call_brings_the_33_ChannelVarset_a_real_Asterisk_sends()
    {
        await using var harness = await EngineHarness.StartAsync(settings: new Dictionary<string, string?> { ["Asterisk:FilterAriEvents"] = "false" });

        var (call, end) = await harness.CallAsync(DirectToPolice);

        Assert.Equal("police-astana-1", end.BridgedWith);
        Assert.Equal("Completed", (await harness.WaitForOutcomeAsync(call.ChannelId)).Outcome);
        Assert.Equal(33, harness.Asterisk.Stats.AriChannelVarsetsSent);
        Assert.Empty(harness.Asterisk.EventsDisallowed("routing112"));
    }

    [Fact]
    public async Task The_filter_is_set_again_after_the_websocket_is_cut_and_the_app_was_destroyed()
    {
        await using var harness = await EngineHarness.StartAsync();
        await harness.WaitUntilAsync(() => harness.Asterisk.EventsDisallowed("routing112").Count > 0, "the first filter");

        // An app that holds nothing is destroyed when its socket goes (ari-websocket-drop.md), and its filter with it
        // (pinned by the simulator's own tests): the engine must PUT it again once it has reconnected. Counted by the
        // requests, not by looking at the filter in between: on a busy box the engine may already be back by then.
        int FilterPuts() => harness.Asterisk.Requests.Count(r => r.Method == "PUT" && r.Path.EndsWith("/eventFilter", StringComparison.Ordinal) && r.Status == 200);
        var putsBefore = FilterPuts();
        await harness.Asterisk.DropWebSocketsAsync(abort: true);
        await harness.WaitUntilAsync(() => harness.Asterisk.ConnectedEventSockets > 0 && FilterPuts() > putsBefore && harness.Asterisk.EventsDisallowed("routing112").Count > 0,
            "the engine to reconnect and set its filter again");

        var (call, _) = await harness.CallAsync(DirectToPolice);
        Assert.Equal("Completed", (await harness.WaitForOutcomeAsync(call.ChannelId)).Outcome);
        Assert.Equal(0, harness.Asterisk.Stats.AriChannelVarsetsSent);
    }

    [Fact]
    public void The_filter_never_keeps_an_event_the_engine_or_the_centre_reads()
    {
        string[] read =
        [
            "StasisStart", "StasisEnd", "ChannelDestroyed", "ChannelHangupRequest", "ChannelStateChange", "Dial",
            "PlaybackStarted", "PlaybackContinuing", "PlaybackFinished", "ChannelDtmfReceived", "EndpointStateChange",
            "DeviceStateChanged", "BridgeCreated", "BridgeDestroyed", "BridgeMerged", "BridgeBlindTransfer",
            "BridgeAttendedTransfer", "ChannelEnteredBridge", "ChannelLeftBridge", "RecordingStarted", "RecordingFinished",
            "RecordingFailed", "TextMessageReceived", "ChannelHold", "ChannelUnhold", "ApplicationReplaced",
        ];

        Assert.Empty(AriEventFilter.Disallowed.Intersect(read));
        Assert.Contains("ChannelVarset", AriEventFilter.Disallowed);
    }
}
