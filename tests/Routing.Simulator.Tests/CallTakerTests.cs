using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Routing.Simulator.Tests.Support;

namespace Routing.Simulator.Tests;

/// <summary>Call-taker phones through the control API: how they answer offers, register, vanish and hang up.</summary>
public sealed class CallTakerTests
{
    private static string Summary(JsonElement e)
    {
        string s = Json.Type(e);
        if (e.TryGetProperty("dialstatus", out var d)) s += $" {d.GetString()}";
        if (e.TryGetProperty("cause", out var c)) s += $" cause={c.GetInt32()}";
        if (e.TryGetProperty("tech_cause", out var tc)) s += $" tech={tc.GetInt32()}";
        if (e.TryGetProperty("device_state", out var ds)) s += $" {ds.GetProperty("name").GetString()} {ds.GetProperty("state").GetString()}";
        if (e.TryGetProperty("endpoint", out var ep)) s += $" {ep.GetProperty("state").GetString()} channels={ep.GetProperty("channel_ids").GetArrayLength()}";
        if (e.TryGetProperty("musicclass", out var mc)) s += $" musicclass={mc.GetString()}";
        var channel = e.TryGetProperty("channel", out var ch) ? ch : Json.Type(e) == "Dial" ? e.GetProperty("peer") : default;
        if (channel.ValueKind == JsonValueKind.Object) s += $" {channel.GetProperty("state").GetString()}";
        return s;
    }

    private static Task<SimulatedAsterisk> StartAsync(TimeProvider? clock = null, CallTakerBehavior? behavior = null, bool registered = true) => Sims.StartAsync(o =>
    {
        if (clock is not null) o.Time = clock;
        o.CallTakers["calltaker-1"] = behavior ?? CallTakerBehavior.AnswersAfter(TimeSpan.FromMilliseconds(500));
        o.CallTakersRegisteredAtStart = registered;
    });

    private static string Offer(string id = "ct1-x", int timeout = 20) =>
        $"/ari/channels?endpoint=PJSIP%2Fcalltaker-1&app=routing112&appArgs=calltaker%2Ccalltaker-1&channelId={id}&callerId=%22Test+Caller%22+%3C%2B77011234567%3E&timeout={timeout}";

    private static async Task<string[]> UntilAsync(EventStream events, string type, Func<JsonElement, bool>? where = null)
    {
        var (last, before) = await events.UntilAsync(type, where);
        return before.Append(last).Select(Summary).ToArray();
    }

    [Fact]
    public async Task A_phone_that_answers_after_a_delay_rings_then_enters_Stasis_with_the_offers_args()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-06T11:09:12Z"));
        await using var sim = await StartAsync(clock);
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);

        Assert.Equal(200, (await ari.Post(Offer())).Status);
        Assert.Equal(["Dial  Down", "ChannelStateChange Ringing", "Dial RINGING Ringing"], await UntilAsync(events, "Dial", e => e.GetProperty("dialstatus").GetString() == "RINGING"));
        clock.Advance(TimeSpan.FromMilliseconds(499));
        Assert.True(await events.NothingForAsync(TimeSpan.FromMilliseconds(50)), "not a moment early");
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var (start, before) = await events.UntilAsync("StasisStart");
        Assert.Equal(["ChannelStateChange Up", "Dial ANSWER Up", "ChannelVarset Up"], before.Select(Summary));
        Assert.Equal("[\"calltaker\",\"calltaker-1\"]", start.GetProperty("args").GetRawText());
        Assert.Equal(["ct1-x"], sim.CallTakers["calltaker-1"].ChannelIds);
    }

    [Fact]
    public async Task A_phone_that_ignores_the_offer_rings_until_the_originate_timeout()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-06T11:09:12Z"));
        await using var sim = await StartAsync(clock, CallTakerBehavior.Ignores);
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);

        Assert.Equal(200, (await ari.Post(Offer(timeout: 15))).Status);
        await Wait.UntilAsync(() => events.All.Count >= 3, "ringing");
        clock.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(["Dial  Down", "Dial RINGING Down", "ChannelStateChange Ringing", "ChannelDestroyed cause=19 tech=480 Ringing"],
            await UntilAsync(events, "ChannelDestroyed"));
        Assert.Empty(sim.CallTakers["calltaker-1"].ChannelIds);
    }

    [Fact]
    public async Task A_busy_phone_rejects_the_offer_at_once_with_486()
    {
        await using var sim = await StartAsync(behavior: CallTakerBehavior.Busy);
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);

        Assert.Equal(200, (await ari.Post(Offer())).Status);
        Assert.Equal(["Dial  Down", "ChannelHangupRequest cause=17 tech=486 Down", "Dial BUSY Down", "ChannelDestroyed cause=17 tech=486 Down"],
            await UntilAsync(events, "ChannelDestroyed"));
    }

    [Fact]
    public async Task A_behaviour_change_applies_to_the_next_offer()
    {
        await using var sim = await StartAsync(behavior: CallTakerBehavior.Busy);
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);
        await ari.Post(Offer("ct1-a"));
        await events.UntilAsync("ChannelDestroyed");

        sim.CallTakers["calltaker-1"].Behavior = CallTakerBehavior.AnswersAfter(TimeSpan.FromMilliseconds(20));
        Assert.Equal("answers after 00:00:00.0200000", sim.CallTakers["calltaker-1"].Behavior.Description);
        await ari.Post(Offer("ct1-b"));
        var (start, _) = await events.UntilAsync("StasisStart");
        Assert.Equal("ct1-b", start.GetProperty("channel").GetProperty("id").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_unregistered_or_unreachable_phone_is_offline_and_an_offer_fails_like_a_missing_endpoint(bool unreachable)
    {
        await using var sim = await StartAsync();
        using var ari = new AriClient(sim);
        var phone = sim.CallTakers["calltaker-1"];
        if (unreachable) phone.GoUnreachable();
        else phone.Unregister();

        Assert.False(phone.IsOnline);
        Assert.Equal("offline", (await ari.Get("/ari/endpoints/PJSIP/calltaker-1")).Json.GetProperty("state").GetString());
        var offer = await ari.Post(Offer());
        Assert.Equal((500, "{\"error\":\"Allocation failed\"}"), (offer.Status, offer.Body));
        Assert.Empty(sim.LiveChannelIds);

        phone.Register();
        Assert.True(phone.IsOnline);
        Assert.Equal(200, (await ari.Post(Offer())).Status);
    }

    [Fact]
    public async Task Going_unreachable_and_back_reports_the_contact_as_unreachable_then_reachable()
    {
        await using var sim = await StartAsync();
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);
        await ari.Post("/ari/applications/routing112/subscription?eventSource=endpoint%3APJSIP%2Fcalltaker-1%2CdeviceState%3APJSIP%2Fcalltaker-1");
        var phone = sim.CallTakers["calltaker-1"];

        phone.GoUnreachable();
        phone.GoUnreachable(); // already offline: nothing new
        phone.Register();
        phone.Register(); // a refresh: nothing new

        var all = new List<JsonElement>();
        for (int i = 0; i < 8; i++) all.Add(await events.NextAsync());
        Assert.True(await events.NothingForAsync(TimeSpan.FromMilliseconds(100)));
        Assert.Equal([
            "EndpointStateChange offline channels=0", "PeerStatusChange offline channels=0", "ContactStatusChange offline channels=0", "DeviceStateChanged PJSIP/calltaker-1 UNAVAILABLE",
            "EndpointStateChange online channels=0", "PeerStatusChange online channels=0", "ContactStatusChange online channels=0", "DeviceStateChanged PJSIP/calltaker-1 NOT_INUSE",
        ], all.Select(Summary));
        Assert.Equal(["Unreachable", "Reachable"], all.Where(e => Json.Type(e) == "ContactStatusChange")
            .Select(e => e.GetProperty("contact_info").GetProperty("contact_status").GetString()));
        Assert.Equal(["Unreachable", "Reachable"], all.Where(e => Json.Type(e) == "PeerStatusChange")
            .Select(e => e.GetProperty("peer").GetProperty("peer_status").GetString()));
    }

    [Fact]
    public async Task A_device_subscription_follows_the_phone_through_an_offer_ringing_in_use_and_idle()
    {
        await using var sim = await StartAsync(behavior: CallTakerBehavior.AnswersAfter(TimeSpan.FromMilliseconds(20)));
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);
        await ari.Post("/ari/applications/routing112/subscription?eventSource=deviceState%3APJSIP%2Fcalltaker-1");

        await ari.Post(Offer());
        await events.UntilAsync("StasisStart");
        await ari.Delete("/ari/channels/ct1-x");
        await events.UntilAsync("ChannelDestroyed");
        await Wait.UntilAsync(() => events.All.Count(f => f.Contains("DeviceStateChanged")) == 3, "three device states");
        Assert.Equal(["RINGING", "INUSE", "NOT_INUSE"], events.All.Where(f => f.Contains("DeviceStateChanged"))
            .Select(f => JsonDocument.Parse(f).RootElement.GetProperty("device_state").GetProperty("state").GetString()));
        // No endpoint subscription: no EndpointStateChange, and the channel events come once.
        Assert.DoesNotContain(events.All, f => f.Contains("EndpointStateChange"));
        Assert.Single(events.All, f => f.Contains("\"dialstatus\":\"ANSWER\""));
    }

    [Fact]
    public async Task A_call_taker_hanging_up_leaves_the_bridge_and_Stasis_and_a_ringing_offer_is_rejected()
    {
        await using var sim = await StartAsync(behavior: CallTakerBehavior.AnswersAfter(TimeSpan.FromMilliseconds(20)));
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);
        var call = await sim.PlaceCallAsync(Sims.TestCaller(), CancellationToken.None);
        await events.UntilAsync("StasisStart");
        await ari.Post("/ari/bridges?type=mixing&bridgeId=b1");
        await ari.Post(Offer());
        await events.UntilAsync("StasisStart");
        await ari.Post($"/ari/bridges/b1/addChannel?channel={call.ChannelId},ct1-x");
        await events.UntilAsync("ChannelConnectedLine", e => e.GetProperty("channel").GetProperty("id").GetString() == call.ChannelId);

        sim.CallTakers["calltaker-1"].HangUp();
        var (destroyed, before) = await events.UntilAsync("ChannelDestroyed");
        Assert.Equal(["ChannelHangupRequest cause=16 Up", "ChannelLeftBridge Up", "StasisEnd Up", "ChannelVarset Up"], before.Select(Summary));
        Assert.Equal("ChannelDestroyed cause=16 Up", Summary(destroyed));
        Assert.Equal(["calltaker-1"], call.CallTakers);

        sim.CallTakers["calltaker-1"].Behavior = CallTakerBehavior.Ignores;
        await ari.Post(Offer("ct1-y"));
        await events.UntilAsync("ChannelStateChange");
        sim.CallTakers["calltaker-1"].HangUp();
        var (_, rejected) = await events.UntilAsync("ChannelDestroyed");
        Assert.Contains("ChannelHangupRequest cause=17 tech=486 Ringing", rejected.Select(Summary));
    }

    [Fact]
    public async Task Call_takers_are_validated_and_can_be_added_while_running()
    {
        var bad = new SimulatorOptions { Trunks = { ["police"] = TrunkBehavior.NoAnswer }, CallTakers = { ["police"] = CallTakerBehavior.Busy } };
        var error = await Assert.ThrowsAsync<ArgumentException>(() => SimulatedAsterisk.StartAsync(bad, CancellationToken.None));
        Assert.Contains("CallTakers key 'police'", error.Message);
        var slash = new SimulatorOptions { CallTakers = { ["PJSIP/calltaker-1"] = CallTakerBehavior.Busy } };
        Assert.Contains("no technology/ prefix", (await Assert.ThrowsAsync<ArgumentException>(() => SimulatedAsterisk.StartAsync(slash, CancellationToken.None))).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => CallTakerBehavior.AnswersAfter(TimeSpan.FromSeconds(-1)));

        await using var sim = await StartAsync();
        using var ari = new AriClient(sim);
        Assert.Throws<KeyNotFoundException>(() => sim.CallTakers["calltaker-9"]);
        var added = sim.AddCallTaker("calltaker-9", CallTakerBehavior.Busy, registered: false);
        Assert.False(added.IsOnline);
        Assert.Equal("offline", (await ari.Get("/ari/endpoints/PJSIP/calltaker-9")).Json.GetProperty("state").GetString());
        Assert.Contains("already exists", Assert.Throws<ArgumentException>(() => sim.AddCallTaker("calltaker-9", CallTakerBehavior.Busy)).Message);
        Assert.Contains("already exists", Assert.Throws<ArgumentException>(() => sim.AddCallTaker("police", CallTakerBehavior.Busy)).Message);
        Assert.Throws<ArgumentException>(() => sim.AddCallTaker("PJSIP/x", CallTakerBehavior.Busy));
        Assert.Equal(404, (await ari.Get("/ari/endpoints/PJSIP/calltaker-8")).Status);
    }
}
