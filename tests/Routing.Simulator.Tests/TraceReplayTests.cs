using System.Text.Json;
using Routing.Simulator.Tests.Support;

namespace Routing.Simulator.Tests;

/// <summary>The REST sequence of ari-call-112-fire.rest.jsonl, replayed against the simulator, gives the trace's events and statuses.</summary>
public sealed class TraceReplayTests
{
    [Fact]
    public async Task Replaying_the_112_fire_call_gives_the_traces_event_sequence_statuses_and_shapes()
    {
        await using var sim = await Sims.StartAsync(o => o.SoundDurations["sound:beep"] = TimeSpan.FromMilliseconds(250));
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);
        var traceRest = Traces.JsonLines("ari-call-112-fire.rest.jsonl").Where(r => !r.TryGetProperty("websocket", out _)).ToArray();
        var replies = new List<AriClient.Reply>();
        async Task<AriClient.Reply> Do(Task<AriClient.Reply> request)
        {
            var reply = await request;
            replies.Add(reply);
            return reply;
        }

        var app = await Do(ari.Get("/ari/applications/routing112"));
        Assert.True(Json.DeepEquals(app.Json, traceRest[0].GetProperty("body")), app.Body);

        var call = await sim.PlaceCallAsync(Sims.TestCaller(dtmf: [new DtmfStep('5', TimeSpan.FromMilliseconds(400))]), CancellationToken.None);
        string id = call.ChannelId;
        string fire = "fire-" + id;
        await events.UntilAsync("StasisStart");
        await Do(ari.Post($"/ari/channels/{id}/answer"));
        var callerNum = await Do(ari.Get($"/ari/channels/{id}/variable?variable=CALLERID%28num%29"));
        Assert.Equal("+4930123456", callerNum.Json.GetProperty("value").GetString());
        await Do(ari.Post($"/ari/channels/{id}/play?media=sound%3Abeep&playbackId=pb-beep-{id}"));
        await events.UntilAsync("PlaybackFinished");
        await events.UntilAsync("ChannelDtmfReceived");
        var bridge = await Do(ari.Post($"/ari/bridges?type=mixing&name=incident-{id}"));
        string bridgeId = bridge.Json.GetProperty("id").GetString()!;
        var originate = await Do(ari.Post(
            $"/ari/channels?endpoint=PJSIP%2Ffire&app=routing112&appArgs=dialed%2Cfire%2C{id}&callerId=%22112+Leitstelle%22+%3C112%3E&timeout=30&channelId={fire}",
            "{\"variables\": {\"INCIDENT_CALLER\": \"" + id + "\"}}"));
        Assert.Equal("Down", originate.Json.GetProperty("state").GetString());
        Assert.Equal(Json.Shape(traceRest[5].GetProperty("body")), Json.Shape(originate.Json));
        await events.UntilAsync("StasisStart", e => e.GetProperty("channel").GetProperty("id").GetString() == fire);
        await Do(ari.Post($"/ari/bridges/{bridgeId}/addChannel?channel={id}%2C{fire}"));
        var joined = await Do(ari.Get($"/ari/bridges/{bridgeId}"));
        Assert.Equal("native_rtp", joined.Json.GetProperty("technology").GetString());
        Assert.Equal([id, fire], joined.Json.GetProperty("channels").EnumerateArray().Select(c => c.GetString()));
        var channels = await Do(ari.Get("/ari/channels"));
        Assert.Equal([fire, id], channels.Json.EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        await events.UntilAsync("ChannelConnectedLine", e => e.GetProperty("channel").GetProperty("id").GetString() == id);
        call.SendDtmf('7');
        await events.UntilAsync("ChannelDtmfReceived");
        await Do(ari.Delete($"/ari/channels/{id}?reason=normal"));
        await Do(ari.Delete($"/ari/channels/{fire}"));
        await Do(ari.Delete($"/ari/bridges/{bridgeId}"));
        await events.UntilAsync("BridgeDestroyed");

        Assert.Equal(traceRest.Select(r => r.GetProperty("status").GetInt32()), replies.Select(r => r.Status));

        // Every event, ChannelVarset included: the 33 variables Asterisk sets by itself (BRIDGEPEER, BRIDGEPVTCALLID,
        // RTPAUDIOQOS*, STASISSTATUS) are the flood the engine's event filter stops, so they are simulated in place.
        var trace = Traces.JsonLines("ari-call-112-fire.events.jsonl").ToArray();
        var ours = events.All.Select(f => JsonDocument.Parse(f).RootElement.Clone()).ToArray();
        Assert.Equal(trace.Select(TypeAndVariable), ours.Select(TypeAndVariable));
        for (int i = 0; i < trace.Length; i++)
            Assert.True(Json.Shape(trace[i]) == Json.Shape(ours[i]), $"event {i} {Json.Type(trace[i])}:\ntrace {Json.Shape(trace[i])}\nours  {Json.Shape(ours[i])}");

        var end = await Wait.ForAsync(call.Ended);
        Assert.Equal(new CallEnd("app", 16, true, null, "fire"), end);
        Assert.Equal(["sound:beep"], call.MediaPlayed);
        Assert.Empty(sim.LiveChannelIds);
        Assert.Empty(sim.LiveBridgeIds);
    }

    private static string TypeAndVariable(JsonElement e) =>
        Json.Type(e) == "ChannelVarset" ? $"ChannelVarset {e.GetProperty("variable").GetString()} on {(e.GetProperty("channel").GetProperty("id").GetString()!.StartsWith("fire-", StringComparison.Ordinal) ? "fire leg" : "caller")}" : Json.Type(e);

    [Fact]
    public async Task Events_carry_the_traces_values_where_they_are_deterministic()
    {
        await using var sim = await Sims.StartAsync();
        await using var events = await EventStream.ConnectAsync(sim);
        var call = await sim.PlaceCallAsync(Sims.TestCaller(), CancellationToken.None);

        var (start, _) = await events.UntilAsync("StasisStart");
        var trace = Traces.JsonLines("ari-call-112-fire.events.jsonl")[0];
        var channel = start.GetProperty("channel");
        Assert.Equal(trace.GetProperty("args").GetRawText(), start.GetProperty("args").GetRawText());
        Assert.Equal("Ring", channel.GetProperty("state").GetString());
        Assert.Equal(trace.GetProperty("channel").GetProperty("dialplan").GetRawText(), channel.GetProperty("dialplan").GetRawText());
        Assert.Equal(trace.GetProperty("channel").GetProperty("caller").GetRawText(), channel.GetProperty("caller").GetRawText());
        Assert.Equal("02:fc:00:00:00:01", start.GetProperty("asterisk_id").GetString());
        Assert.Equal("routing112", start.GetProperty("application").GetString());
        Assert.Matches(@"^\d{10}\.\d+$", call.ChannelId);
        Assert.Matches(@"^PJSIP/caller-[0-9a-f]{8}$", channel.GetProperty("name").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$", start.GetProperty("timestamp").GetString());
        // '+' is written as is, like Asterisk's jansson, not as \u002B.
        Assert.Contains("\"number\":\"+4930123456\"", events.All[0]);
    }
}
