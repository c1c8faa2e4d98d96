using System.Text.Json;
using Routing.Simulator.Tests.Support;

namespace Routing.Simulator.Tests;

/// <summary>
/// turn2/ari-warm-transfer*: caller and call-taker in one mixing bridge, police joins (three parties), the call-taker
/// leaves, caller and police talk on. Replayed against the simulator — with a clean app, and with the endpoint
/// subscriptions left over from an earlier run (the "stale" recording: what the app gets twice, and what it does not get).
/// </summary>
public sealed class WarmTransferReplayTests
{
    private const string EndpointSources = "endpoint%3APJSIP%2Fcalltaker-1%2Cendpoint%3APJSIP%2Fcalltaker-2";
    private const string AllSources = EndpointSources + "%2CdeviceState%3APJSIP%2Fcalltaker-1%2CdeviceState%3APJSIP%2Fcalltaker-2";

    private static CallScript TraceCaller() => new("+77011234567", "112", "Test Caller");

    [Fact]
    public async Task A_warm_transfer_gives_the_traces_events_connected_lines_and_statuses()
    {
        await using var sim = await AgentsRegistrationReplayTests.StartWithPhonesAsync(registered: true);
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);
        var traceRest = Traces.JsonLines("turn2/ari-warm-transfer.rest.jsonl").Where(r => !r.TryGetProperty("websocket", out _)).ToArray();

        var app = await ari.Get("/ari/applications/routing112");
        Assert.True(Json.DeepEquals(app.Json, traceRest[0].GetProperty("body")), app.Body);
        var (statuses, call) = await RunTransferAsync(sim, ari, events, beforeCall: null);
        Assert.Equal(traceRest.Skip(1).Select(r => r.GetProperty("status").GetInt32()), statuses);

        AssertSameSequence("turn2/ari-warm-transfer.events.jsonl", events.All);
        var connected = ConnectedLines(events.All);
        Assert.Equal([
            (call.ChannelId, "Test Caller <+77011234567>"), // the call-taker joined: the caller sees the originate's callerId
            ("police-" + call.ChannelId, "Test Caller <+77011234567>"), // the call-taker left: caller and police learn each other
            (call.ChannelId, "112 EOS <112>"),
        ], connected);
        Assert.Equal(new CallEnd("caller", 16, true, null, "police"), await Wait.ForAsync(call.Ended));
        Assert.Equal(["calltaker-1"], call.CallTakers);
        Assert.Empty(sim.LiveChannelIds);
    }

    [Fact]
    public async Task With_endpoint_subscriptions_left_over_the_call_takers_channel_events_come_twice_as_in_the_stale_trace()
    {
        await using var sim = await AgentsRegistrationReplayTests.StartWithPhonesAsync(registered: true);
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);
        var traceRest = Traces.JsonLines("turn2/ari-warm-transfer-stale-endpoint-subscription.rest.jsonl").Where(r => !r.TryGetProperty("websocket", out _)).ToArray();

        // An earlier run subscribed twice (endpoint interest 2), then its websocket went: the app keeps its subscriptions.
        Assert.Equal(200, (await ari.Post("/ari/applications/routing112/subscription?eventSource=" + AllSources)).Status);
        Assert.Equal(200, (await ari.Post("/ari/applications/routing112/subscription?eventSource=" + EndpointSources)).Status);
        await events.CloseAsync();
        await Wait.UntilAsync(() => sim.ConnectedEventSockets == 0, "the old socket is gone");
        await using var again = await EventStream.ConnectAsync(sim);

        var app = await ari.Get("/ari/applications/routing112");
        Assert.True(Json.DeepEquals(app.Json, traceRest[0].GetProperty("body")), app.Body);
        var unsubscribed = await ari.Delete("/ari/applications/routing112/subscription?eventSource=" + AllSources);
        Assert.Equal(200, unsubscribed.Status);
        Assert.True(Json.DeepEquals(unsubscribed.Json, traceRest[1].GetProperty("body")), unsubscribed.Body); // endpoint_ids still there

        var (statuses, call) = await RunTransferAsync(sim, ari, again, beforeCall: null,
            afterCallTakerLeft: () => sim.CallTakers["calltaker-2"].Unregister()); // calltaker-2's registration ran out in the trace here
        Assert.Equal(traceRest.Skip(2).Select(r => r.GetProperty("status").GetInt32()), statuses);
        AssertSameSequence("turn2/ari-warm-transfer-stale-endpoint-subscription.events.jsonl", again.All);
        await Wait.ForAsync(call.Ended);

        // Start of the holding-bridge trace: one more DELETE removes the endpoints, a third finds nothing.
        var holdRest = Traces.JsonLines("turn2/ari-holding-bridge-moh.rest.jsonl");
        var second = await ari.Delete("/ari/applications/routing112/subscription?eventSource=" + EndpointSources);
        Assert.True(Json.DeepEquals(second.Json, holdRest[2].GetProperty("body")), second.Body);
        var third = await ari.Delete("/ari/applications/routing112/subscription?eventSource=" + EndpointSources);
        Assert.Equal((422, "{\"message\":\"Event source was not subscribed to\"}"), (third.Status, third.Body));
        Assert.True(Json.DeepEquals(third.Json, holdRest[3].GetProperty("body")), third.Body);
    }

    /// <summary>The trace's REST sequence from the call on; returns the statuses in order.</summary>
    private static async Task<(List<int> Statuses, SimulatedCall Call)> RunTransferAsync(
        SimulatedAsterisk sim, AriClient ari, EventStream events, Action? beforeCall, Action? afterCallTakerLeft = null)
    {
        var statuses = new List<int>();
        async Task<AriClient.Reply> Do(Task<AriClient.Reply> request)
        {
            var reply = await request;
            statuses.Add(reply.Status);
            return reply;
        }
        bool Is(JsonElement e, string id) => e.GetProperty("channel").GetProperty("id").GetString() == id;

        var ct1Endpoint = await Do(ari.Get("/ari/endpoints/PJSIP/calltaker-1"));
        Assert.Equal("online", ct1Endpoint.Json.GetProperty("state").GetString());
        beforeCall?.Invoke();
        var call = await sim.PlaceCallAsync(TraceCaller(), CancellationToken.None);
        string id = call.ChannelId, ct1 = "ct1-" + id, police = "police-" + id, bridge = "incident-" + id;
        await events.UntilAsync("StasisStart", e => Is(e, id));
        await Do(ari.Post($"/ari/channels/{id}/answer"));
        await Do(ari.Post($"/ari/bridges?type=mixing&bridgeId={bridge}&name={bridge}"));
        await Do(ari.Post($"/ari/bridges/{bridge}/addChannel?channel={id}"));
        var offer = await Do(ari.Post($"/ari/channels?endpoint=PJSIP%2Fcalltaker-1&app=routing112&appArgs=calltaker%2Ccalltaker-1%2C{id}&channelId={ct1}&callerId=%22Test+Caller%22+%3C%2B77011234567%3E&timeout=20"));
        Assert.Equal("PJSIP/calltaker-1-", offer.Json.GetProperty("name").GetString()![..18]);
        Assert.Equal("from-calltaker", offer.Json.GetProperty("dialplan").GetProperty("context").GetString());
        await events.UntilAsync("StasisStart", e => Is(e, ct1));
        await Do(ari.Post($"/ari/bridges/{bridge}/addChannel?channel={ct1}"));
        var two = await Do(ari.Get($"/ari/bridges/{bridge}"));
        Assert.Equal([id, ct1], two.Json.GetProperty("channels").EnumerateArray().Select(c => c.GetString()));
        await Do(ari.Post($"/ari/channels?endpoint=PJSIP%2Fpolice&app=routing112&appArgs=dialed%2Cpolice%2C{id}&channelId={police}&callerId=%22112+EOS%22+%3C112%3E&timeout=20"));
        await events.UntilAsync("StasisStart", e => Is(e, police));
        await Do(ari.Post($"/ari/bridges/{bridge}/addChannel?channel={police}"));
        var three = await Do(ari.Get($"/ari/bridges/{bridge}"));
        Assert.Equal([id, ct1, police], three.Json.GetProperty("channels").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("softmix", three.Json.GetProperty("technology").GetString());
        await Do(ari.Post($"/ari/bridges/{bridge}/removeChannel?channel={ct1}"));
        await Do(ari.Delete($"/ari/channels/{ct1}?reason=normal"));
        var after = await Do(ari.Get($"/ari/bridges/{bridge}"));
        Assert.Equal([id, police], after.Json.GetProperty("channels").EnumerateArray().Select(c => c.GetString()));
        await events.UntilAsync("ChannelDestroyed", e => Is(e, ct1));
        afterCallTakerLeft?.Invoke();
        await Do(ari.Post($"/ari/channels/{id}/dtmf?dtmf=%23"));
        call.HangUp(); // the caller's BYE (the trace's SIPp caller hangs up on the INFO trigger)
        await events.UntilAsync("StasisEnd", e => Is(e, id));
        var alone = await Do(ari.Get($"/ari/bridges/{bridge}"));
        Assert.Equal([police], alone.Json.GetProperty("channels").EnumerateArray().Select(c => c.GetString()));
        await Do(ari.Delete($"/ari/channels/{police}?reason=normal"));
        await Do(ari.Delete($"/ari/bridges/{bridge}"));
        await events.UntilAsync("BridgeDestroyed");
        Assert.True(await events.NothingForAsync(TimeSpan.FromMilliseconds(100)), "nothing after BridgeDestroyed");
        return (statuses, call);
    }

    /// <summary>Event types in order and each event's field shape; ChannelVarset (BRIDGEPEER, RTPAUDIOQOS*...) is not simulated.</summary>
    private static void AssertSameSequence(string traceFile, IReadOnlyList<string> frames)
    {
        var trace = Traces.JsonLines(traceFile).Where(e => Json.Type(e) != "ChannelVarset").ToArray();
        var ours = frames.Select(f => JsonDocument.Parse(f).RootElement.Clone()).Where(e => Json.Type(e) != "ChannelVarset").ToArray();
        Assert.Equal(trace.Select(Describe), ours.Select(Describe));
        for (int i = 0; i < trace.Length; i++)
            Assert.True(Json.Shape(trace[i]) == Json.Shape(ours[i]), $"event {i} {Json.Type(trace[i])}:\ntrace {Json.Shape(trace[i])}\nours  {Json.Shape(ours[i])}");
    }

    /// <summary>Type, whose channel (by role: caller / ct1 / police) and the state the app can act on.</summary>
    private static string Describe(JsonElement e)
    {
        string s = Json.Type(e);
        string Role(string id) => id.StartsWith("ct1-", StringComparison.Ordinal) ? "ct1" : id.StartsWith("police-", StringComparison.Ordinal) ? "police" : "caller";
        if (e.TryGetProperty("channel", out var c)) s += $" {Role(c.GetProperty("id").GetString()!)} {c.GetProperty("state").GetString()}";
        if (e.TryGetProperty("peer", out var p) && p.TryGetProperty("id", out var pid)) s += $" {Role(pid.GetString()!)} {e.GetProperty("dialstatus").GetString()}";
        if (e.TryGetProperty("bridge", out var b)) s += " [" + string.Join(",", b.GetProperty("channels").EnumerateArray().Select(x => Role(x.GetString()!))) + "]";
        if (e.TryGetProperty("endpoint", out var ep)) s += $" {ep.GetProperty("resource").GetString()} {ep.GetProperty("state").GetString()} {ep.GetProperty("channel_ids").GetArrayLength()}";
        if (e.TryGetProperty("cause", out var cause)) s += $" cause={cause.GetInt32()}";
        return s;
    }

    private static List<(string, string)> ConnectedLines(IReadOnlyList<string> frames) => frames
        .Select(f => JsonDocument.Parse(f).RootElement.Clone())
        .Where(e => Json.Type(e) == "ChannelConnectedLine")
        .Select(e => e.GetProperty("channel"))
        .Select(c => (c.GetProperty("id").GetString()!, $"{c.GetProperty("connected").GetProperty("name").GetString()} <{c.GetProperty("connected").GetProperty("number").GetString()}>"))
        .ToList();
}
