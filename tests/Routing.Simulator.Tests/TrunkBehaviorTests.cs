using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Routing.Simulator.Tests.Support;

namespace Routing.Simulator.Tests;

/// <summary>Agency legs: busy, no answer, unreachable and failing trunks give the event sequences of ari-originate-failures.</summary>
public sealed class TrunkBehaviorTests
{
    private static string Summary(JsonElement e)
    {
        string s = Json.Type(e);
        if (e.TryGetProperty("dialstatus", out var d)) s += $" dialstatus={d.GetString()}";
        if (e.TryGetProperty("cause", out var c)) s += $" cause={c.GetInt32()}";
        if (e.TryGetProperty("cause_txt", out var t)) s += $" ({t.GetString()})";
        if (e.TryGetProperty("tech_cause", out var tc)) s += $" tech={tc.GetInt32()}";
        if (e.TryGetProperty("soft", out _)) s += " soft";
        var channel = e.TryGetProperty("channel", out var ch) ? ch : e.TryGetProperty("peer", out var p) ? p : default;
        if (channel.ValueKind == JsonValueKind.Object) s += $" state={channel.GetProperty("state").GetString()}";
        return s;
    }

    private static string LegId(JsonElement e) =>
        (e.TryGetProperty("channel", out var ch) ? ch : e.TryGetProperty("peer", out var p) ? p : default) is { ValueKind: JsonValueKind.Object } c
            ? c.GetProperty("id").GetString()! : "";

    private static string[] TraceFor(string legId) =>
        Traces.JsonLines("ari-originate-failures.events.jsonl").Where(e => LegId(e) == legId).Select(Summary).ToArray();

    private static async Task<string[]> EventsFor(EventStream events, string legId, string lastType)
    {
        var (last, before) = await events.UntilAsync(lastType, e => LegId(e) == legId);
        return before.Where(e => LegId(e) == legId).Append(last).Select(Summary).ToArray();
    }

    [Theory]
    [InlineData("fire-busy-1", "PJSIP/fire", "dialed,fire", 10, 300)]
    [InlineData("ambulance-noanswer-1", "PJSIP/ambulance", "dialed,ambulance", 3, 3000)]
    [InlineData("police-unreachable-1", "PJSIP/police", "dialed,police", 10, 10_000)]
    public async Task Originate_to_a_failing_trunk_gives_the_traces_events(string legId, string endpoint, string appArgs, int timeout, int advanceMs)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-24T02:13:53Z"));
        await using var sim = await Sims.StartAsync(o =>
        {
            o.Time = clock;
            o.Trunks["fire"] = TrunkBehavior.Busy(TimeSpan.FromMilliseconds(300));
            o.Trunks["ambulance"] = TrunkBehavior.NoAnswer;
            o.Trunks["police"] = TrunkBehavior.Fails(TimeSpan.FromMinutes(5)); // nothing listening: the originate timeout ends it
        });
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);

        var reply = await ari.Post($"/ari/channels?endpoint={Uri.EscapeDataString(endpoint)}&app=routing112&appArgs={Uri.EscapeDataString(appArgs)}&channelId={legId}&timeout={timeout}");
        Assert.Equal(200, reply.Status);
        await Wait.UntilAsync(() => events.All.Count >= 1, "the Dial event arrived");
        clock.Advance(TimeSpan.FromMilliseconds(advanceMs - 1));
        Assert.Contains(legId, sim.LiveChannelIds); // not a moment early
        clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(TraceFor(legId), await EventsFor(events, legId, "ChannelDestroyed"));
        Assert.Empty(sim.LiveChannelIds);
        Assert.DoesNotContain(events.All, f => f.Contains("StasisStart"));
    }

    [Fact]
    public async Task Create_then_dial_to_a_busy_trunk_gives_the_traces_events()
    {
        await using var sim = await Sims.StartAsync(o => o.Trunks["fire"] = TrunkBehavior.Busy(TimeSpan.FromMilliseconds(20)));
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);
        var caller = await sim.PlaceCallAsync(Sims.TestCaller(), CancellationToken.None);
        await events.UntilAsync("StasisStart");

        var created = await ari.Post("/ari/channels/create?endpoint=PJSIP%2Ffire&app=routing112&appArgs=dialed%2Cfire&channelId=fire-busy-2");
        Assert.Equal(200, created.Status);
        Assert.Equal("""{"context":"from-agency","exten":"s","priority":1,"app_name":"","app_data":""}""", created.Json.GetProperty("dialplan").GetRawText());
        Assert.Equal(204, (await ari.Post($"/ari/channels/fire-busy-2/dial?caller={caller.ChannelId}&timeout=10")).Status);

        var trace = Traces.JsonLines("ari-originate-failures.events.jsonl").Where(e => LegId(e) == "fire-busy-2").ToArray();
        var (destroyed, before) = await events.UntilAsync("ChannelDestroyed", e => LegId(e) == "fire-busy-2");
        var ours = before.Where(e => LegId(e) == "fire-busy-2").Append(destroyed).ToArray();
        Assert.Equal(trace.Select(Summary), ours.Select(Summary));
        Assert.Equal(trace.Select(Json.Shape), ours.Select(Json.Shape));
        Assert.Equal(404, (await ari.Get("/ari/channels/fire-busy-2")).Status);
    }

    [Fact]
    public async Task A_failing_trunk_hangs_up_with_congestion()
    {
        await using var sim = await Sims.StartAsync(o => o.Trunks["fire"] = TrunkBehavior.Fails(TimeSpan.FromMilliseconds(20)));
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);
        await ari.Post("/ari/channels?endpoint=PJSIP/fire&app=routing112&channelId=fire-fail-1");

        Assert.Equal(
            ["Dial dialstatus= state=Down", "ChannelHangupRequest cause=34 state=Down", "Dial dialstatus=CONGESTION state=Down", "ChannelDestroyed cause=34 (Circuit/channel congestion) state=Down"],
            await EventsFor(events, "fire-fail-1", "ChannelDestroyed"));
    }

    [Fact]
    public async Task An_answering_trunk_rings_answers_and_enters_Stasis_with_the_app_args()
    {
        await using var sim = await Sims.StartAsync();
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);
        var reply = await ari.Post("/ari/channels?endpoint=PJSIP/fire&app=routing112&appArgs=dialed,fire,1.2&channelId=fire-1&callerId=%22112%20Leitstelle%22%20%3C112%3E");
        Assert.Equal("PJSIP/fire-00000000", reply.Json.GetProperty("name").GetString());
        Assert.Equal("""{"name":"112 Leitstelle","number":"112"}""", reply.Json.GetProperty("caller").GetRawText());

        var (start, before) = await events.UntilAsync("StasisStart");
        Assert.Equal(["Dial dialstatus= state=Down", "ChannelStateChange state=Ringing", "Dial dialstatus=RINGING state=Ringing", "ChannelStateChange state=Up", "Dial dialstatus=ANSWER state=Up"],
            before.Where(e => Json.Type(e) != "ChannelVarset").Select(Summary));
        Assert.Equal("""["dialed","fire","1.2"]""", start.GetProperty("args").GetRawText());
        Assert.Equal("routing112,dialed,fire,1.2", start.GetProperty("channel").GetProperty("dialplan").GetProperty("app_data").GetString());
    }

    [Fact]
    public async Task An_agency_that_hangs_up_leaves_the_bridge_and_Stasis_and_is_destroyed_with_cause_16()
    {
        // The agency hangs up once the leg is bridged, not on a timer: at load 10 on 2 cores the addChannel below came
        // more than 100 ms after the answer, to a leg already gone (400).
        await using var sim = await Sims.StartAsync(o => o.Trunks["fire"] = TrunkBehavior.Answers(TimeSpan.FromMilliseconds(10)));
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);
        var call = await sim.PlaceCallAsync(Sims.TestCaller(), CancellationToken.None);
        await events.UntilAsync("StasisStart");
        await ari.Post($"/ari/channels/{call.ChannelId}/answer");
        await ari.Post("/ari/bridges?type=mixing&bridgeId=b1");
        await ari.Post("/ari/channels?endpoint=PJSIP/fire&app=routing112&channelId=fire-1");
        await events.UntilAsync("StasisStart", e => LegId(e) == "fire-1");
        Assert.Equal(204, (await ari.Post($"/ari/bridges/b1/addChannel?channel={call.ChannelId},fire-1")).Status);
        await Wait.UntilAsync(() => call.BridgedWith == "fire", "the call counts as connected");

        Assert.True(sim.AgencyHangsUp("fire-1"));
        var (destroyed, before) = await events.UntilAsync("ChannelDestroyed");
        Assert.Equal(["ChannelHangupRequest cause=16 state=Up", "ChannelLeftBridge state=Up", "StasisEnd state=Up"],
            before.Where(e => LegId(e) == "fire-1" && Json.Type(e) != "ChannelVarset").Select(Summary).SkipWhile(s => !s.StartsWith("ChannelHangupRequest")));
        Assert.Equal("ChannelDestroyed cause=16 (Normal Clearing) state=Up", Summary(destroyed));
        Assert.Contains(call.Timeline, l => l.Contains("agency fire hung up"));
        Assert.False(call.Ended.IsCompleted); // the caller stays; the app decides what to do with it
        Assert.False(sim.AgencyHangsUp("fire-1")); // gone: nothing to hang up twice
    }

    [Fact]
    public async Task An_agency_set_to_hang_up_after_answering_does_so_on_its_own()
    {
        await using var sim = await Sims.StartAsync(o => o.Trunks["fire"] = TrunkBehavior.Answers(TimeSpan.FromMilliseconds(10), hangUpAfter: TimeSpan.FromMilliseconds(100)));
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);
        var call = await sim.PlaceCallAsync(Sims.TestCaller(), CancellationToken.None);
        await events.UntilAsync("StasisStart");
        await ari.Post("/ari/channels?endpoint=PJSIP/fire&app=routing112&channelId=fire-1");

        var (destroyed, _) = await events.UntilAsync("ChannelDestroyed", e => LegId(e) == "fire-1");

        Assert.Equal("ChannelDestroyed cause=16 (Normal Clearing) state=Up", Summary(destroyed));
        Assert.False(call.Ended.IsCompleted);
    }
}
