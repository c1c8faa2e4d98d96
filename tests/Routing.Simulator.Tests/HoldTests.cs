using System.Text.Json;
using Routing.Simulator.Tests.Support;

namespace Routing.Simulator.Tests;

/// <summary>Hold over ARI (towards the phone: music, ONHOLD, no event) and from the phone (ChannelHold/ChannelUnhold).</summary>
public sealed class HoldTests
{
    private static Task<SimulatedAsterisk> StartAsync(CallTakerBehavior? behavior = null) =>
        Sims.StartAsync(o => o.CallTakers["calltaker-1"] = behavior ?? CallTakerBehavior.AnswersAfter(TimeSpan.FromMilliseconds(20)));

    private const string Offer = "/ari/channels?endpoint=PJSIP%2Fcalltaker-1&app=routing112&channelId=ct1-x&callerId=%22Test+Caller%22+%3C%2B77011234567%3E";

    [Theory]
    [InlineData("POST")]
    [InlineData("DELETE")]
    public async Task Hold_on_a_channel_that_is_gone_or_not_in_Stasis_gets_Asterisks_answer(string method)
    {
        await using var sim = await StartAsync(CallTakerBehavior.Ignores);
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);

        var gone = await ari.SendAsync(method, "/ari/channels/1796555352.99/hold");
        Assert.Equal((404, "{\"message\":\"Channel not found\"}"), (gone.Status, gone.Body));

        await ari.Post(Offer); // ringing, not yet in Stasis
        await events.UntilAsync("ChannelStateChange");
        var ringing = await ari.SendAsync(method, "/ari/channels/ct1-x/hold");
        Assert.Equal((409, "{\"message\":\"Channel not in Stasis application\"}"), (ringing.Status, ringing.Body));
        Assert.Equal(405, (await ari.SendAsync("PUT", "/ari/channels/ct1-x/hold")).Status);
    }

    [Fact]
    public async Task Holding_a_caller_over_ARI_plays_music_and_sends_no_ChannelHold()
    {
        await using var sim = await StartAsync();
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);
        var call = await sim.PlaceCallAsync(Sims.TestCaller(), CancellationToken.None);
        await events.UntilAsync("StasisStart");

        Assert.Equal(204, (await ari.Post($"/ari/channels/{call.ChannelId}/hold")).Status);
        Assert.Equal(204, (await ari.Post($"/ari/channels/{call.ChannelId}/hold")).Status); // twice: no change
        Assert.Equal(204, (await ari.Delete($"/ari/channels/{call.ChannelId}/hold")).Status);

        Assert.True(await events.NothingForAsync(TimeSpan.FromMilliseconds(150)));
        Assert.True(call.HeardMusicOnHold);
        Assert.Contains(call.Timeline, l => l.EndsWith("put on hold (music on hold)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_held_call_taker_channel_makes_the_device_ONHOLD_and_the_phones_own_hold_key_sends_ChannelHold()
    {
        await using var sim = await StartAsync();
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);
        await ari.Post("/ari/applications/routing112/subscription?eventSource=deviceState%3APJSIP%2Fcalltaker-1");
        var call = await sim.PlaceCallAsync(Sims.TestCaller(), CancellationToken.None);
        await events.UntilAsync("StasisStart");
        await ari.Post(Offer);
        await events.UntilAsync("StasisStart");
        await ari.Post("/ari/bridges?type=mixing&bridgeId=b1");
        await ari.Post($"/ari/bridges/b1/addChannel?channel={call.ChannelId},ct1-x");

        await ari.Post("/ari/channels/ct1-x/hold");
        var (onHold, _) = await events.UntilAsync("DeviceStateChanged", e => e.GetProperty("device_state").GetProperty("state").GetString() == "ONHOLD");
        await ari.Delete("/ari/channels/ct1-x/hold");
        await events.UntilAsync("DeviceStateChanged", e => e.GetProperty("device_state").GetProperty("state").GetString() == "INUSE");

        sim.CallTakers["calltaker-1"].Hold();
        var (hold, _) = await events.UntilAsync("ChannelHold");
        Assert.Equal(("default", "ct1-x"), (hold.GetProperty("musicclass").GetString(), hold.GetProperty("channel").GetProperty("id").GetString()));
        Assert.StartsWith("{type,timestamp,musicclass,channel{", Json.Shape(hold), StringComparison.Ordinal);
        Assert.True(call.HeardMusicOnHold); // the caller in the bridge hears the music
        sim.CallTakers["calltaker-1"].Resume();
        var (unhold, _) = await events.UntilAsync("ChannelUnhold");
        Assert.Equal("ct1-x", unhold.GetProperty("channel").GetProperty("id").GetString());
    }

    [Fact]
    public async Task When_one_of_three_parties_hangs_up_the_two_left_learn_each_others_identity()
    {
        await using var sim = await StartAsync();
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);
        var call = await sim.PlaceCallAsync(new CallScript("+77011234567", "112", "Test Caller"), CancellationToken.None);
        await events.UntilAsync("StasisStart");
        await ari.Post(Offer);
        await events.UntilAsync("StasisStart");
        await ari.Post($"/ari/channels?endpoint=PJSIP%2Fpolice&app=routing112&channelId=police-x&callerId=%22112+EOS%22+%3C112%3E");
        await events.UntilAsync("StasisStart");
        await ari.Post("/ari/bridges?type=mixing&bridgeId=b3");
        await ari.Post($"/ari/bridges/b3/addChannel?channel={call.ChannelId},ct1-x");
        await ari.Post("/ari/bridges/b3/addChannel?channel=police-x");
        var (_, joining) = await events.UntilAsync("ChannelEnteredBridge", e => e.GetProperty("channel").GetProperty("id").GetString() == "police-x");
        Assert.Single(joining, e => Json.Type(e) == "ChannelConnectedLine"); // only the caller, when the call-taker joined: none at three
        Assert.Equal("softmix", (await ari.Get("/ari/bridges/b3")).Json.GetProperty("technology").GetString());

        sim.CallTakers["calltaker-1"].HangUp();
        var (destroyed, before) = await events.UntilAsync("ChannelDestroyed");
        var updates = before.Where(e => Json.Type(e) == "ChannelConnectedLine").Select(e => e.GetProperty("channel"))
            .Select(c => $"{c.GetProperty("id").GetString()} sees {c.GetProperty("connected").GetProperty("number").GetString()}").ToArray();
        Assert.Equal(["police-x sees +77011234567", $"{call.ChannelId} sees 112"], updates);
        Assert.Equal("ct1-x", destroyed.GetProperty("channel").GetProperty("id").GetString());
        Assert.Equal("native_rtp", (await ari.Get("/ari/bridges/b3")).Json.GetProperty("technology").GetString());
    }
}
