using System.Text.Json;
using System.Text.Json.Nodes;
using Routing.Simulator.Tests.Support;

namespace Routing.Simulator.Tests;

/// <summary>
/// turn2/ari-agents-registration*: two call-taker phones register, one unregisters and registers again, seen by an app
/// subscribed to their endpoints and device states and by a subscribeAll app. Replayed against the simulator.
/// </summary>
public sealed class AgentsRegistrationReplayTests
{
    private const string SubscribeQuery =
        "eventSource=endpoint%3APJSIP%2Fcalltaker-1%2Cendpoint%3APJSIP%2Fcalltaker-2%2CdeviceState%3APJSIP%2Fcalltaker-1%2CdeviceState%3APJSIP%2Fcalltaker-2";

    internal static Task<SimulatedAsterisk> StartWithPhonesAsync(bool registered) => Sims.StartAsync(o =>
    {
        o.CallTakers["calltaker-1"] = CallTakerBehavior.AnswersAfter(TimeSpan.FromMilliseconds(50));
        o.CallTakers["calltaker-2"] = CallTakerBehavior.AnswersAfter(TimeSpan.FromMilliseconds(50));
        o.CallTakersRegisteredAtStart = registered;
    });

    [Fact]
    public async Task Registering_and_unregistering_gives_the_traces_events_to_each_app_in_the_traces_shape()
    {
        await using var sim = await StartWithPhonesAsync(registered: false);
        using var ari = new AriClient(sim);
        await using var routing = await EventStream.ConnectAsync(sim);
        await using var observer = await EventStream.ConnectAsync(sim, "observer112", "&subscribeAll=true");
        await Wait.UntilAsync(() => sim.ConnectedEventSockets == 2, "both sockets connected");
        var rest = Traces.JsonLines("turn2/ari-agents-registration.rest.jsonl");
        JsonElement Body(string path, string note) => rest.First(r => r.GetProperty("path").GetString() == path
            && r.TryGetProperty("note", out var n) && n.GetString() == note).GetProperty("body");

        var before = await ari.Get("/ari/endpoints/PJSIP/calltaker-1");
        Assert.True(Json.DeepEquals(before.Json, Body("/ari/endpoints/PJSIP/calltaker-1", "before any REGISTER")), before.Body);
        var subscribed = await ari.Post("/ari/applications/routing112/subscription?" + SubscribeQuery);
        Assert.Equal(200, subscribed.Status);
        Assert.True(Json.DeepEquals(subscribed.Json, rest.First(r => r.GetProperty("method").GetString() == "POST").GetProperty("body")), subscribed.Body);
        var app = await ari.Get("/ari/applications/routing112");
        Assert.True(Json.DeepEquals(app.Json, rest.First(r => r.GetProperty("path").GetString() == "/ari/applications/routing112").GetProperty("body")), app.Body);
        var observerApp = await ari.Get("/ari/applications/observer112");
        Assert.True(Json.DeepEquals(observerApp.Json, Traces.JsonLines("turn2/ari-agents-registration-subscribeAll.rest.jsonl")[1].GetProperty("body")), observerApp.Body);

        var ct1 = sim.CallTakers["calltaker-1"];
        var ct2 = sim.CallTakers["calltaker-2"];
        ct1.Register();
        Assert.Equal("online", (await ari.Get("/ari/endpoints/PJSIP/calltaker-1")).Json.GetProperty("state").GetString());
        ct2.Register();
        ct1.Unregister();
        Assert.Equal("offline", (await ari.Get("/ari/endpoints/PJSIP/calltaker-1")).Json.GetProperty("state").GetString());
        ct1.Register();

        await AssertSameBurstsAsync(routing, "turn2/ari-agents-registration.events.jsonl", burst: 4);
        await AssertSameBurstsAsync(observer, "turn2/ari-agents-registration-subscribeAll.events.jsonl", burst: 3);

        // Endpoints with a static contact (the trunks, the caller) are online; both phones now too.
        var all = await ari.Get("/ari/endpoints");
        var states = all.Json.EnumerateArray().ToDictionary(e => e.GetProperty("resource").GetString()!, e => e.GetProperty("state").GetString());
        Assert.Equal("online", states["calltaker-1"]);
        Assert.Equal("online", states["calltaker-2"]);
        Assert.Equal("online", states["police"]);
        Assert.Equal(Json.Shape(Body("/ari/endpoints", "end: both registered")), Json.Shape(all.Json));
        Assert.Equal("[]", (await ari.Get("/ari/deviceStates")).Body);
        var deviceByName = await ari.Get("/ari/deviceStates/PJSIP/calltaker-1");
        Assert.Equal((404, "{\"message\":\"Resource not found\"}"), (deviceByName.Status, deviceByName.Body));
    }

    /// <summary>
    /// Asterisk sends each registration's events within a millisecond "in no fixed order" (trace README), so the events are
    /// compared burst by burst as sets, every value but the timestamp; the bursts themselves must come in the trace's order.
    /// </summary>
    private static async Task AssertSameBurstsAsync(EventStream stream, string traceFile, int burst)
    {
        var trace = Traces.JsonLines(traceFile);
        var ours = new List<JsonElement>();
        for (int i = 0; i < trace.Count; i++) ours.Add(await stream.NextAsync());
        Assert.True(await stream.NothingForAsync(TimeSpan.FromMilliseconds(100)), "no further event");
        for (int start = 0; start < trace.Count; start += burst)
        {
            var expected = trace.Skip(start).Take(burst).Select(WithoutTimestamp).Order(StringComparer.Ordinal);
            var actual = ours.Skip(start).Take(burst).Select(WithoutTimestamp).Order(StringComparer.Ordinal);
            Assert.Equal(expected, actual);
        }
        // Field order too (DeviceStateChanged puts "application" second).
        Assert.Equal(trace.Select(Json.Shape).Order(StringComparer.Ordinal), ours.Select(Json.Shape).Order(StringComparer.Ordinal));
    }

    private static string WithoutTimestamp(JsonElement e)
    {
        var node = JsonNode.Parse(e.GetRawText())!.AsObject();
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$", node["timestamp"]!.GetValue<string>());
        node.Remove("timestamp");
        return node.ToJsonString();
    }
}
