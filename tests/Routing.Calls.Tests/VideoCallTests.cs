using Routing.Calls.Tests.Fakes;
using Routing.Calls.Video;

namespace Routing.Calls.Tests;

/// <summary>A call whose entry is a video entry (Routing:Video) gets a video bridge with the caller as its one video
/// source; every other call a plain mixing bridge. Each step on record before it is acted on.</summary>
public class VideoCallTests
{
    private const string Caller = CallHarness.CallerChannel;

    private static CallHarness DirectPolice(IEnumerable<string> videoEntries, VideoBridgeMode mode = VideoBridgeMode.SingleSource, Action<FakeTelephony>? setup = null)
    {
        var options = TestOptions.Default();
        options.Video = new VideoOptions { Entries = videoEntries.ToList(), Mode = mode };
        return new CallHarness(["direct", "police"], options: options, setup: setup);
    }

    [Fact]
    public async Task A_video_entrys_call_gets_a_single_source_video_bridge_and_the_caller_becomes_its_source_when_it_joins()
    {
        var h = DirectPolice(["Direct"]);
        await h.StartAsync();
        await h.AnswerLegAsync();

        Assert.Equal(CallState.Connected, h.State);
        var bridge = h.Call.CallId;
        var leg = h.Telephony.Dials[^1].LegChannelId;
        Assert.Contains($"createBridge {bridge} video SingleSource", h.Telephony.Commands);
        Assert.Equal([$"addToBridge {bridge} {Caller},{leg}", $"videoSource {bridge} {Caller}"], h.Telephony.Commands.TakeLast(2));
        // Write before act: the ledger says so before Asterisk is asked.
        var log = h.Log.Entries.ToList();
        Assert.True(log.FindIndex(e => e.StartsWith("journal:video.bridge", StringComparison.Ordinal)) < log.IndexOf($"telephony:createBridge {bridge} video SingleSource"));
        Assert.True(log.IndexOf("journal:video.source the caller") < log.IndexOf($"telephony:videoSource {bridge} {Caller}"));
    }

    [Fact]
    public async Task An_audio_entrys_call_gets_a_plain_mixing_bridge_and_no_video_source()
    {
        var h = DirectPolice(["App", "Sos"]);
        await h.StartAsync();
        await h.AnswerLegAsync();

        Assert.Equal(CallState.Connected, h.State);
        Assert.Contains($"createBridge {h.Call.CallId}", h.Telephony.Commands);
        Assert.DoesNotContain(h.Telephony.Commands, c => c.Contains("video", StringComparison.OrdinalIgnoreCase));
        Assert.Empty(h.Journal.EventsOf("video.bridge"));
    }

    /// <summary>Seen on Asterisk 23.4.1 (load-tests/asterisk video-app): a leg originated without an originator is offered
    /// audio only, so the agency never got the caller's video. A video call's legs carry the caller's media.</summary>
    [Fact]
    public async Task A_video_calls_agency_leg_is_dialled_with_the_callers_media_and_an_audio_calls_without()
    {
        var video = DirectPolice(["Direct"]);
        await video.StartAsync();
        Assert.Equal(Caller, Assert.Single(video.Telephony.Dials).MediaFrom);

        var audio = DirectPolice(["App", "Sos"]);
        await audio.StartAsync();
        Assert.Null(Assert.Single(audio.Telephony.Dials).MediaFrom);
    }

    [Fact]
    public async Task An_sfu_video_bridge_sets_no_single_source()
    {
        var h = DirectPolice(["Direct"], VideoBridgeMode.Sfu);
        await h.StartAsync();
        await h.AnswerLegAsync();

        Assert.Contains($"createBridge {h.Call.CallId} video Sfu", h.Telephony.Commands);
        Assert.DoesNotContain(h.Telephony.Commands, c => c.StartsWith("videoSource", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_video_source_Asterisk_refuses_costs_the_picture_not_the_call()
    {
        var h = DirectPolice(["Direct"], setup: t => t.Fail("videoSource"));
        await h.StartAsync();
        await h.AnswerLegAsync();

        Assert.Equal(CallState.Connected, h.State);
        Assert.Contains(h.Journal.EventsOf("command.failed"), e => e.Detail.StartsWith($"setVideoSource {Caller}", StringComparison.Ordinal));
    }
}
