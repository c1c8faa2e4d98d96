using Routing.Simulator.Tests.Support;

namespace Routing.Simulator.Tests;

/// <summary>Video bridges as Asterisk 23 takes them over ARI (res_stasis.c bridge_create_common, resource_bridges.c
/// setVideoSource/clearVideoSource, main/bridge.c video modes): the type attributes, video_mode and video_source_id.</summary>
public sealed class VideoBridgeTests
{
    private const string Offer = "/ari/channels?endpoint=PJSIP%2Fcalltaker-1&app=routing112&channelId=ct1-x&callerId=%22Test+Caller%22+%3C%2B77011234567%3E";

    [Theory]
    [InlineData("mixing,video_single", "mixing", "single")]
    [InlineData("mixing,video_sfu", "mixing", "sfu")]
    [InlineData("mixing", "mixing", "talker")]
    [InlineData("mixing,dtmf_events", "mixing", "talker")]
    [InlineData(" mixing , video_single ", "mixing", "single")] // each attribute is stripped
    [InlineData("mixing,no-such-attribute", "mixing", "talker")] // an unknown attribute beside a capability is skipped
    [InlineData("holding", "holding", "talker")]
    public async Task A_bridge_type_with_a_capability_makes_a_bridge_reporting_its_capability_and_video_mode(string type, string bridgeType, string videoMode)
    {
        await using var sim = await Sims.StartAsync();
        using var ari = new AriClient(sim);

        var created = await ari.Post($"/ari/bridges?type={Uri.EscapeDataString(type)}&bridgeId=v1");

        Assert.Equal(200, created.Status);
        Assert.Equal((bridgeType, videoMode), (created.Json.GetProperty("bridge_type").GetString(), created.Json.GetProperty("video_mode").GetString()));
        Assert.False(created.Json.TryGetProperty("video_source_id", out _));
    }

    [Theory]
    [InlineData("video_single")]        // a video mode alone gives no capability
    [InlineData("video_sfu")]
    [InlineData("no-such-type")]        // as recorded (ari-errors)
    [InlineData("Mixing")]              // attributes are case-sensitive
    [InlineData("mixing,holding")]      // holding and mixing do not mix
    public async Task A_bridge_type_without_a_capability_is_refused_as_Asterisk_does(string type)
    {
        await using var sim = await Sims.StartAsync();
        using var ari = new AriClient(sim);

        var refused = await ari.Post($"/ari/bridges?type={Uri.EscapeDataString(type)}");

        Assert.Equal((500, "{\"message\":\"Unable to create bridge. Possible duplicate bridge id '(null)'\"}"), (refused.Status, refused.Body));
        Assert.Empty(sim.LiveBridgeIds);
    }

    [Fact]
    public async Task The_video_source_is_a_channel_in_the_bridge_is_reported_and_goes_when_it_leaves()
    {
        await using var sim = await Sims.StartAsync(o => o.CallTakers["calltaker-1"] = CallTakerBehavior.AnswersAfter(TimeSpan.FromMilliseconds(20)));
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);
        var call = await sim.PlaceCallAsync(Sims.TestCaller(), CancellationToken.None);
        await events.UntilAsync("StasisStart");
        await ari.Post(Offer);
        await events.UntilAsync("StasisStart");
        await ari.Post("/ari/bridges?type=mixing,video_single&bridgeId=v1");

        var notInIt = await ari.Post($"/ari/bridges/v1/videoSource/{call.ChannelId}");
        Assert.Equal((422, "{\"message\":\"Channel not in this bridge\"}"), (notInIt.Status, notInIt.Body));
        Assert.Equal((404, "{\"message\":\"Bridge not found\"}"), ((await ari.Post($"/ari/bridges/nope/videoSource/{call.ChannelId}")).Status, (await ari.Post($"/ari/bridges/nope/videoSource/{call.ChannelId}")).Body));
        Assert.Equal((400, "{\"message\":\"Channel not found\"}"), ((await ari.Post("/ari/bridges/v1/videoSource/gone")).Status, (await ari.Post("/ari/bridges/v1/videoSource/gone")).Body));

        await ari.Post($"/ari/bridges/v1/addChannel?channel={call.ChannelId},ct1-x");
        Assert.Equal(204, (await ari.Post($"/ari/bridges/v1/videoSource/{call.ChannelId}")).Status);
        var bridge = (await ari.Get("/ari/bridges/v1")).Json;
        Assert.Equal(("single", call.ChannelId), (bridge.GetProperty("video_mode").GetString(), bridge.GetProperty("video_source_id").GetString()));

        await ari.Post($"/ari/bridges/v1/removeChannel?channel={call.ChannelId}");
        Assert.False((await ari.Get("/ari/bridges/v1")).Json.TryGetProperty("video_source_id", out _));

        await ari.Post($"/ari/bridges/v1/addChannel?channel={call.ChannelId}");
        await ari.Post($"/ari/bridges/v1/videoSource/ct1-x");
        Assert.Equal(204, (await ari.Delete("/ari/bridges/v1/videoSource")).Status);
        bridge = (await ari.Get("/ari/bridges/v1")).Json;
        Assert.Equal("talker", bridge.GetProperty("video_mode").GetString());
        Assert.False(bridge.TryGetProperty("video_source_id", out _));
    }

    [Fact]
    public async Task Setting_a_video_source_on_a_plain_mixing_bridge_makes_it_single_source()
    {
        await using var sim = await Sims.StartAsync();
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);
        var call = await sim.PlaceCallAsync(Sims.TestCaller(), CancellationToken.None);
        await events.UntilAsync("StasisStart");
        await ari.Post("/ari/bridges?type=mixing&bridgeId=m1");
        await ari.Post($"/ari/bridges/m1/addChannel?channel={call.ChannelId}");

        Assert.Equal(204, (await ari.Post($"/ari/bridges/m1/videoSource/{call.ChannelId}")).Status);

        Assert.Equal("single", (await ari.Get("/ari/bridges/m1")).Json.GetProperty("video_mode").GetString());
    }

    /// <summary>main/dial.c: an originate without an originator asks the endpoint for audio only (seen on Asterisk 23.4.1,
    /// load-tests/asterisk video-app); with one, the leg is offered the originator's formats and the endpoint's (23.4.1
    /// offered a VP8-only caller's leg "100 99") and gets the first its device takes, whether or not the caller sends it
    /// (no video transcoding). CHANNEL(videonativeformat) reads as main/format_cap.c ast_format_cap_get_names writes.</summary>
    [Fact]
    public async Task A_legs_video_is_the_first_offered_format_its_device_takes_and_none_without_an_originator()
    {
        await using var sim = await Sims.StartAsync(o =>
        {
            o.CallTakers["calltaker-1"] = CallTakerBehavior.AnswersAfter(TimeSpan.FromMilliseconds(20));
            o.VideoFormats["calltaker-1"] = ["h264"];
        });
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);
        var call = await sim.PlaceCallAsync(Sims.TestCaller() with { VideoFormats = ["vp8", "h264"] }, CancellationToken.None);
        await events.UntilAsync("StasisStart");

        Assert.Equal(200, (await ari.Post(Offer + "&originator=" + call.ChannelId)).Status);
        Assert.Equal(200, (await ari.Post(Offer.Replace("channelId=ct1-x", "channelId=ct1-audio", StringComparison.Ordinal))).Status);

        async Task<string?> Video(string channel) =>
            (await ari.Get($"/ari/channels/{channel}/variable?variable={Uri.EscapeDataString("CHANNEL(videonativeformat)")}")).Json.GetProperty("value").GetString();
        Assert.Equal("(vp8|h264)", await Video(call.ChannelId));
        Assert.Equal("(h264)", await Video("ct1-x"));
        Assert.Equal("(nothing)", await Video("ct1-audio"));

        // A VP8-only caller: the H.264-only device still takes H.264, which that caller never sends.
        var vp8 = await sim.PlaceCallAsync(Sims.TestCaller() with { CallerNumber = "+4930123457", VideoFormats = ["vp8"] }, CancellationToken.None);
        await events.UntilAsync("StasisStart", e => e.GetProperty("channel").GetProperty("id").GetString() == vp8.ChannelId);
        Assert.Equal(200, (await ari.Post(Offer.Replace("channelId=ct1-x", "channelId=ct1-vp8", StringComparison.Ordinal) + "&originator=" + vp8.ChannelId)).Status);
        Assert.Equal("(vp8)", await Video(vp8.ChannelId));
        Assert.Equal("(h264)", await Video("ct1-vp8"));
    }
}
