using Routing.Simulator;

namespace Routing.Engine.Tests;

/// <summary>Video calls over loopback: the engine asks the simulated Asterisk for a video bridge with the caller as its
/// source for a call of a video entry (Routing:Video:Entries), and a plain mixing bridge for any other call.</summary>
public sealed class VideoEndToEndTests
{
    private static readonly Dictionary<string, string?> SosIsVideo = new()
    {
        ["Routing:Video:Entries:0"] = "Sos",
        ["Routing:Video:Entries:1"] = "App",
        ["Routing:Video:Mode"] = "SingleSource",
    };

    /// <summary>The caller talks until the engine has recorded its verdict on the agency leg's video, then hangs up: a caller
    /// who hung up first (a fixed talk time on a loaded box) would leave nothing to read.</summary>
    private static async Task<LedgerView> TalkUntilVideoVerdictAsync(EngineHarness harness, SimulatedCall call)
    {
        await harness.WaitUntilAsync(async () =>
        {
            var calls = await harness.Engine.Ledger.FindByCallerChannelAsync(call.ChannelId, CancellationToken.None);
            var history = calls.Count == 0 ? null : await harness.Engine.Ledger.GetCallAsync(calls[0].Call.CallId, CancellationToken.None);
            return history is not null && history.Events.Any(e => e.Event.Kind is "video.leg" or "video.none" or "command.failed" or "outcome");
        }, "the engine's verdict on the agency leg's video");
        call.HangUp();
        return await harness.WaitForOutcomeAsync(call.ChannelId);
    }

    private static IReadOnlyList<RecordedRequest> BridgeRequests(EngineHarness harness) =>
        harness.Asterisk.Requests.Where(r => r.Path.StartsWith("/ari/bridges", StringComparison.Ordinal) && r.Method == "POST").ToList();

    [Fact]
    public async Task An_SOS_buttons_call_is_bridged_in_a_single_source_video_bridge_whose_source_is_the_caller()
    {
        await using var harness = await EngineHarness.StartAsync(settings: SosIsVideo);

        var (call, _) = await harness.CallAsync(new CallScript("+77270000101", "112", "SOS button", Context: "from-sos", TalkFor: TimeSpan.FromMilliseconds(300)));

        var record = await harness.WaitForOutcomeAsync(call.ChannelId);
        Assert.StartsWith("police", call.BridgedWith, StringComparison.Ordinal);
        var bridges = BridgeRequests(harness);
        var created = Assert.Single(bridges, r => r.Path == "/ari/bridges");
        Assert.Contains("type=mixing%2Cvideo_single", created.Query, StringComparison.Ordinal);
        Assert.Equal(200, created.Status);
        var source = Assert.Single(bridges, r => r.Path.Contains("/videoSource/", StringComparison.Ordinal));
        Assert.EndsWith("/videoSource/" + call.ChannelId, source.Path, StringComparison.Ordinal);
        Assert.Equal(204, source.Status);
        Assert.Contains("video.source", record.EventKinds);
    }

    /// <summary>Asterisk does not transcode video: a VP8-only camera and an agency that takes H.264 only talk in audio. The
    /// call is put through as any other, and the ledger says which leg got no picture and why (the real-Asterisk check is
    /// load-tests/asterisk video-vp8-only).</summary>
    [Fact]
    public async Task A_vp8_only_SOS_camera_to_an_h264_only_agency_is_put_through_in_audio_and_the_ledger_says_why()
    {
        await using var harness = await EngineHarness.StartAsync(simulator: o => o.VideoFormats["police-almaty-1"] = ["h264"], settings: SosIsVideo);

        var call = await harness.Asterisk.PlaceCallAsync(new CallScript("+77270000101", "112", "SOS button", Context: "from-sos",
            TalkFor: TimeSpan.FromMinutes(5), VideoFormats: ["vp8"]), CancellationToken.None);

        var record = await TalkUntilVideoVerdictAsync(harness, call);
        Assert.Equal("police-almaty-1", call.BridgedWith);
        Assert.Contains(record.Events, e => e.EndsWith(
            "video.none police-almaty-1: audio only; it negotiated h264, the caller sends vp8: Asterisk does not transcode video",
            StringComparison.Ordinal));
        Assert.DoesNotContain("video.leg", record.EventKinds);
        // Asked as Asterisk is asked (funcs/func_channel.c), once each for the caller and the leg.
        Assert.Equal(2, harness.Asterisk.Requests.Count(r => r.Path.EndsWith("/variable", StringComparison.Ordinal)
            && Uri.UnescapeDataString(r.Query).Contains("variable=CHANNEL(videonativeformat)", StringComparison.Ordinal) && r.Status == 200));
    }

    [Fact]
    public async Task An_SOS_camera_and_an_agency_sharing_h264_are_recorded_with_it()
    {
        await using var harness = await EngineHarness.StartAsync(settings: SosIsVideo);

        var call = await harness.Asterisk.PlaceCallAsync(new CallScript("+77270000101", "112", "SOS button", Context: "from-sos",
            TalkFor: TimeSpan.FromMinutes(5), VideoFormats: ["h264"]), CancellationToken.None);

        var record = await TalkUntilVideoVerdictAsync(harness, call);
        Assert.Contains(record.Events, e => e.EndsWith("video.leg police-almaty-1: h264 (the caller sends h264)", StringComparison.Ordinal));
        Assert.DoesNotContain("video.none", record.EventKinds);
    }

    [Fact]
    public async Task An_audio_call_to_101_is_bridged_in_a_plain_mixing_bridge_without_a_video_source()
    {
        await using var harness = await EngineHarness.StartAsync(settings: SosIsVideo);

        var (call, _) = await harness.CallAsync(new CallScript("+77271234567", "101", "Caller", TalkFor: TimeSpan.FromMilliseconds(300)));

        await harness.WaitForOutcomeAsync(call.ChannelId);
        Assert.StartsWith("fire", call.BridgedWith, StringComparison.Ordinal);
        var bridges = BridgeRequests(harness);
        var created = Assert.Single(bridges, r => r.Path == "/ari/bridges");
        Assert.Contains("type=mixing", created.Query, StringComparison.Ordinal);
        Assert.DoesNotContain("video", created.Query, StringComparison.Ordinal);
        Assert.DoesNotContain(bridges, r => r.Path.Contains("/videoSource", StringComparison.Ordinal));
    }
}
