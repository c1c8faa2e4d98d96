using System.Text.Json;
using Routing.Simulator.Tests.Support;

namespace Routing.Simulator.Tests;

/// <summary>
/// turn2/ari-holding-bridge-moh: the caller waits in a holding bridge with music on hold, then is moved straight into a
/// mixing bridge with police (no removeChannel). Replayed against the simulator.
/// </summary>
public sealed class HoldingBridgeReplayTests
{
    [Fact]
    public async Task A_caller_moved_from_a_holding_bridge_gives_the_traces_events_and_no_BridgeDestroyed_for_the_holding_bridge()
    {
        await using var sim = await Sims.StartAsync();
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);
        var traceRest = Traces.JsonLines("turn2/ari-holding-bridge-moh.rest.jsonl").Skip(5).ToArray(); // from the answer on
        var statuses = new List<int>();
        async Task<AriClient.Reply> Do(Task<AriClient.Reply> request)
        {
            var reply = await request;
            statuses.Add(reply.Status);
            return reply;
        }
        bool Is(JsonElement e, string id) => e.GetProperty("channel").GetProperty("id").GetString() == id;

        var call = await sim.PlaceCallAsync(new CallScript("+77011234567", "112", "Test Caller"), CancellationToken.None);
        string id = call.ChannelId, hold = "hold-" + id, incident = "incident-" + id, police = "police-" + id;
        await events.UntilAsync("StasisStart");
        await Do(ari.Post($"/ari/channels/{id}/answer"));
        var holding = await Do(ari.Post($"/ari/bridges?type=holding&bridgeId={hold}&name={hold}"));
        Assert.Equal(Json.Shape(traceRest[1].GetProperty("body")), Json.Shape(holding.Json));
        Assert.Equal(("holding_bridge", "holding"), (holding.Json.GetProperty("technology").GetString(), holding.Json.GetProperty("bridge_type").GetString()));
        await Do(ari.Post($"/ari/bridges/{hold}/addChannel?channel={id}&role=participant"));
        await Do(ari.Post($"/ari/bridges/{hold}/moh?mohClass=default"));
        var waiting = await Do(ari.Get($"/ari/bridges/{hold}"));
        Assert.Equal([id], waiting.Json.GetProperty("channels").EnumerateArray().Select(c => c.GetString()));
        var channels = await Do(ari.Get("/ari/channels"));
        Assert.Single(channels.Json.EnumerateArray()); // music on hold adds no channel
        Assert.True(call.HeardMusicOnHold);
        await Do(ari.Post($"/ari/channels?endpoint=PJSIP%2Fpolice&app=routing112&appArgs=dialed%2Cpolice%2C{id}&channelId={police}&callerId=%22112+EOS%22+%3C112%3E&timeout=20"));
        await events.UntilAsync("StasisStart", e => Is(e, police));
        await Do(ari.Post($"/ari/bridges?type=mixing&bridgeId={incident}&name={incident}"));
        await Do(ari.Delete($"/ari/bridges/{hold}/moh"));
        await Do(ari.Post($"/ari/bridges/{incident}/addChannel?channel={id}")); // still in the holding bridge: moved
        await Do(ari.Post($"/ari/bridges/{incident}/addChannel?channel={police}"));
        Assert.Empty((await Do(ari.Get($"/ari/bridges/{hold}"))).Json.GetProperty("channels").EnumerateArray());
        Assert.Equal([id, police], (await Do(ari.Get($"/ari/bridges/{incident}"))).Json.GetProperty("channels").EnumerateArray().Select(c => c.GetString()));
        await Do(ari.Post($"/ari/channels/{id}/dtmf?dtmf=%23"));
        call.HangUp();
        await events.UntilAsync("StasisEnd", e => Is(e, id));
        await Do(ari.Delete($"/ari/channels/{police}?reason=normal"));
        await Do(ari.Delete($"/ari/bridges/{incident}"));
        await events.UntilAsync("BridgeDestroyed");
        await Do(ari.Delete($"/ari/bridges/{hold}"));
        Assert.True(await events.NothingForAsync(TimeSpan.FromMilliseconds(150)), "the emptied holding bridge goes without a BridgeDestroyed");

        Assert.Equal(traceRest.Select(r => r.GetProperty("status").GetInt32()), statuses);
        var trace = Traces.JsonLines("turn2/ari-holding-bridge-moh.events.jsonl").Where(e => Json.Type(e) != "ChannelVarset").ToArray();
        var ours = events.All.Select(f => JsonDocument.Parse(f).RootElement.Clone()).Where(e => Json.Type(e) != "ChannelVarset").ToArray();
        Assert.Equal(trace.Select(Describe), ours.Select(Describe));
        // This recording's caller BYE came with "cause":16, the warm-transfer and recording ones without; the simulator
        // sends none (the majority), so the caller's ChannelHangupRequest is compared without it.
        static string Shape(JsonElement e) => Json.Shape(e).Replace("{cause,type,", "{type,", StringComparison.Ordinal);
        for (int i = 0; i < trace.Length; i++)
            Assert.True(Shape(trace[i]) == Shape(ours[i]), $"event {i} {Json.Type(trace[i])}:\ntrace {Json.Shape(trace[i])}\nours  {Json.Shape(ours[i])}");
        Assert.Equal("police", call.BridgedWith);
    }

    private static string Describe(JsonElement e)
    {
        string s = Json.Type(e);
        static string Role(string id) => id.StartsWith("police-", StringComparison.Ordinal) ? "police" : "caller";
        if (e.TryGetProperty("channel", out var c)) s += $" {Role(c.GetProperty("id").GetString()!)} {c.GetProperty("state").GetString()}";
        if (e.TryGetProperty("bridge", out var b))
            s += $" {b.GetProperty("id").GetString()![..4]} [{string.Join(",", b.GetProperty("channels").EnumerateArray().Select(x => Role(x.GetString()!)))}]";
        if (Json.Type(e) == "ChannelConnectedLine") s += " " + c.GetProperty("connected").GetProperty("number").GetString();
        return s;
    }
}
