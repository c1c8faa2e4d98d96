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

    private static IReadOnlyList<RecordedRequest> BridgeRequests(EngineHarness harness) =>
        harness.Asterisk.Requests.Where(r => r.Path.StartsWith("/ari/bridges", StringComparison.Ordinal) && r.Method == "POST").ToList();

    [Fact]
    public async Task An_SOS_buttons_call_is_bridged_in_a_single_source_video_bridge_whose_source_is_the_caller()
    {
        await using var harness = await EngineHarness.StartAsync(settings: SosIsVideo);

        var (call, _) = await harness.CallAsync(new CallScript("+77270000101", "112", "SOS button", Context: "from-sos", HangUpAfter: TimeSpan.FromSeconds(2)));

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

    [Fact]
    public async Task An_audio_call_to_101_is_bridged_in_a_plain_mixing_bridge_without_a_video_source()
    {
        await using var harness = await EngineHarness.StartAsync(settings: SosIsVideo);

        var (call, _) = await harness.CallAsync(new CallScript("+77271234567", "101", "Caller", HangUpAfter: TimeSpan.FromSeconds(2)));

        await harness.WaitForOutcomeAsync(call.ChannelId);
        Assert.StartsWith("fire", call.BridgedWith, StringComparison.Ordinal);
        var bridges = BridgeRequests(harness);
        var created = Assert.Single(bridges, r => r.Path == "/ari/bridges");
        Assert.Contains("type=mixing", created.Query, StringComparison.Ordinal);
        Assert.DoesNotContain("video", created.Query, StringComparison.Ordinal);
        Assert.DoesNotContain(bridges, r => r.Path.Contains("/videoSource", StringComparison.Ordinal));
    }
}
