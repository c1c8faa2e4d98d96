using Routing.Calls.Ports;
using Routing.Calls.Tests.Fakes;
using Routing.Calls.Video;

namespace Routing.Calls.Tests;

/// <summary>
/// Asterisk does not transcode video: a leg that shares no video codec with the caller (a VP8-only app, an H.264-only
/// desk) answers with the video declined. The call goes on with audio, and the ledger says per leg what video it got,
/// read (CHANNEL(videonativeformat)) only once the leg is bridged, so the audio never waits for it.
/// </summary>
public class VideoLegTests
{
    private const string Caller = CallHarness.CallerChannel;
    private const string Phone = "offer-calltaker-1-1795486382.2-1";

    private static async Task<CallHarness> DirectPoliceDialledAsync(string[] callerVideo, IEnumerable<string>? videoEntries = null)
    {
        var options = TestOptions.Default();
        options.Video = new VideoOptions { Entries = (videoEntries ?? ["Direct"]).ToList() };
        var h = new CallHarness(["direct", "police"], options: options, setup: t => t.VideoFormats[Caller] = callerVideo);
        await h.StartAsync();
        return h;
    }

    [Fact]
    public async Task An_agency_leg_sharing_the_callers_codec_is_recorded_with_that_codec_after_it_is_bridged()
    {
        var h = await DirectPoliceDialledAsync(["h264", "vp8"]);
        var leg = h.LastLeg;
        h.Telephony.VideoFormats[leg] = ["h264"];

        await h.AnswerLegAsync();

        Assert.Equal(CallState.Connected, h.State);
        var video = Assert.Single(h.Journal.EventsOf("video.leg"));
        Assert.Equal("police-almaty-1: h264 (the caller sends h264,vp8)", video.Detail);
        Assert.Empty(h.Journal.EventsOf("video.none"));
        Assert.True(h.IndexOf($"telephony:addToBridge {h.Call.CallId} {Caller},{leg}") < h.IndexOf($"telephony:videoFormats {leg}"), string.Join("\n", h.Log.Entries));
    }

    [Fact]
    public async Task A_vp8_caller_and_an_agency_that_takes_no_vp8_talk_in_audio_and_the_ledger_says_why()
    {
        var h = await DirectPoliceDialledAsync(["vp8"]);
        await h.AnswerLegAsync();

        Assert.Equal(CallState.Connected, h.State);
        var none = Assert.Single(h.Journal.EventsOf("video.none"));
        Assert.Equal("police-almaty-1: audio only; it took none of the caller's video (vp8): no common video codec, and Asterisk does not transcode video", none.Detail);
        Assert.Empty(h.Journal.EventsOf("video.leg"));
        Assert.DoesNotContain(h.Telephony.Commands, c => c.StartsWith("hangup", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_video_entrys_caller_whose_call_carries_no_video_is_recorded_as_audio_only()
    {
        var h = await DirectPoliceDialledAsync([]);
        await h.AnswerLegAsync();

        Assert.Equal(CallState.Connected, h.State);
        Assert.Equal("police-almaty-1: audio only; the caller's call carries no video", Assert.Single(h.Journal.EventsOf("video.none")).Detail);
    }

    [Fact]
    public async Task An_audio_calls_legs_are_never_asked_about_video()
    {
        var h = await DirectPoliceDialledAsync(["h264"], videoEntries: ["App"]);
        await h.AnswerLegAsync();

        Assert.Equal(CallState.Connected, h.State);
        Assert.DoesNotContain(h.Telephony.Commands, c => c.StartsWith("videoFormats", StringComparison.Ordinal));
        Assert.Empty(h.Journal.EventsOf("video.none"));
    }

    [Fact]
    public async Task A_video_read_Asterisk_refuses_is_a_failed_command_and_the_call_goes_on_without_a_video_verdict()
    {
        var h = await DirectPoliceDialledAsync(["h264"]);
        h.Telephony.Fail("videoFormats");
        await h.AnswerLegAsync();

        Assert.Equal(CallState.Connected, h.State);
        Assert.Contains(h.Journal.EventsOf("command.failed"), e => e.Detail.StartsWith($"readVideoFormats {Caller}", StringComparison.Ordinal));
        Assert.Empty(h.Journal.EventsOf("video.none"));
        Assert.Empty(h.Journal.EventsOf("video.leg"));
    }

    [Fact]
    public async Task A_call_takers_phone_without_the_callers_codec_gets_the_caller_in_audio_and_the_ledger_names_the_position()
    {
        var options = TestOptions.Default();
        options.Video = new VideoOptions { Entries = ["Emergency112"] };
        var h = new CallHarness(options: options, withCentre: true, setup: t => t.VideoFormats[Caller] = ["vp8"]);
        await h.StartAsync();
        await h.DigitAsync('1');
        Assert.Equal(CallState.OperatorQueue, h.State);

        await h.SendAsync(new CallInput.CallTakerAssigned("calltaker-1", "aigerim", Phone, "leg-offer1", TimeSpan.FromSeconds(3)));

        Assert.Equal(CallState.WithCallTaker, h.State);
        var none = Assert.Single(h.Journal.EventsOf("video.none"));
        Assert.Equal("calltaker-1: audio only; it took none of the caller's video (vp8): no common video codec, and Asterisk does not transcode video", none.Detail);
        Assert.Equal("leg-offer1", none.LegId);
    }
}
