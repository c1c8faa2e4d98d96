using Routing.Simulator.Tests.Support;

namespace Routing.Simulator.Tests;

/// <summary>POST/DELETE /applications/{app}/subscription: Asterisk's answers to bad requests, and what a subscription keeps alive.</summary>
public sealed class SubscriptionTests
{
    private static Task<SimulatedAsterisk> StartAsync() => Sims.StartAsync(o => o.CallTakers["calltaker-1"] = CallTakerBehavior.Busy);

    [Theory]
    [InlineData("POST", "/ari/applications/routing112/subscription", 400, "Missing parameter eventSource")]
    [InlineData("POST", "/ari/applications/routing112/subscription?eventSource=", 400, "Missing parameter eventSource")]
    [InlineData("DELETE", "/ari/applications/routing112/subscription", 400, "Missing parameter eventSource")]
    [InlineData("POST", "/ari/applications/nobody/subscription?eventSource=endpoint%3APJSIP%2Fcalltaker-1", 404, "Application not found")]
    [InlineData("POST", "/ari/applications/routing112/subscription?eventSource=Endpoint%3APJSIP%2Fcalltaker-1", 400, "Invalid event source URI scheme")]
    [InlineData("POST", "/ari/applications/routing112/subscription?eventSource=PJSIP%2Fcalltaker-1", 400, "Invalid event source URI scheme")]
    [InlineData("POST", "/ari/applications/routing112/subscription?eventSource=endpoint%3APJSIP%2Fcalltaker-7", 422, "Event source does not exist")]
    [InlineData("POST", "/ari/applications/routing112/subscription?eventSource=endpoint%3Acalltaker-1", 422, "Event source does not exist")]
    [InlineData("POST", "/ari/applications/routing112/subscription?eventSource=channel%3Agone", 422, "Event source does not exist")]
    [InlineData("DELETE", "/ari/applications/routing112/subscription?eventSource=endpoint%3APJSIP%2Fcalltaker-1", 422, "Event source was not subscribed to")]
    [InlineData("DELETE", "/ari/applications/routing112/subscription?eventSource=deviceState%3APJSIP%2Fcalltaker-1", 422, "Event source was not subscribed to")]
    [InlineData("PUT", "/ari/applications/routing112/subscription?eventSource=deviceState%3APJSIP%2Fcalltaker-1", 405, "Invalid method")]
    public async Task A_bad_subscription_request_gets_Asterisks_answer_and_changes_nothing(string method, string path, int status, string message)
    {
        await using var sim = await StartAsync();
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);
        var before = (await ari.Get("/ari/applications/routing112")).Body;

        var reply = await ari.SendAsync(method, path);

        Assert.Equal((status, $"{{\"message\":\"{message}\"}}"), (reply.Status, reply.Body));
        Assert.Equal(before, (await ari.Get("/ari/applications/routing112")).Body);
    }

    [Fact]
    public async Task Without_res_stasis_device_state_a_deviceState_subscription_is_a_bad_scheme_and_no_DeviceStateChanged_is_sent()
    {
        await using var sim = await Sims.StartAsync(o =>
        {
            o.DeviceStateEventSource = false;
            o.CallTakers["calltaker-1"] = CallTakerBehavior.Busy;
        });
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim, extra: "&subscribeAll=true");

        var reply = await ari.Post("/ari/applications/routing112/subscription?eventSource=deviceState%3APJSIP%2Fcalltaker-1");
        sim.CallTakers["calltaker-1"].GoUnreachable();
        sim.CallTakers["calltaker-1"].Register();
        // Everything from the phone going away up to it coming back: where a DeviceStateChanged UNAVAILABLE would be.
        var (online, before) = await events.UntilAsync("ContactStatusChange", e => e.GetProperty("contact_info").GetProperty("contact_status").GetString() == "Reachable");

        Assert.Equal((400, "{\"message\":\"Invalid event source URI scheme\"}"), (reply.Status, reply.Body));
        Assert.Contains(before, e => e.GetProperty("type").GetString() == "PeerStatusChange" && e.GetProperty("peer").GetProperty("peer_status").GetString() == "Unreachable");
        Assert.DoesNotContain(before, e => e.GetProperty("type").GetString() == "DeviceStateChanged");
        Assert.Equal("online", online.GetProperty("endpoint").GetProperty("state").GetString());
    }

    [Fact]
    public async Task Sources_are_handled_in_order_and_the_first_bad_one_stops_the_rest()
    {
        await using var sim = await StartAsync();
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);

        var reply = await ari.Post("/ari/applications/routing112/subscription?eventSource=deviceState%3APJSIP%2Fcalltaker-1%2Cendpoint%3APJSIP%2Fnope%2CdeviceState%3APJSIP%2Fcalltaker-2");

        Assert.Equal(422, reply.Status);
        var app = (await ari.Get("/ari/applications/routing112")).Json;
        Assert.Equal(["PJSIP/calltaker-1"], app.GetProperty("device_names").EnumerateArray().Select(e => e.GetString()));
        Assert.Empty(app.GetProperty("endpoint_ids").EnumerateArray());
    }

    [Fact]
    public async Task A_device_subscription_is_a_set_while_an_endpoint_subscription_counts_each_POST()
    {
        await using var sim = await StartAsync();
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);
        const string both = "eventSource=endpoint%3APJSIP%2Fcalltaker-1%2CdeviceState%3APJSIP%2Fcalltaker-1";
        await ari.Post("/ari/applications/routing112/subscription?" + both);
        await ari.Post("/ari/applications/routing112/subscription?" + both);

        var once = (await ari.Delete("/ari/applications/routing112/subscription?" + both)).Json;
        Assert.Equal(["PJSIP/calltaker-1"], once.GetProperty("endpoint_ids").EnumerateArray().Select(e => e.GetString()));
        Assert.Empty(once.GetProperty("device_names").EnumerateArray());
        var twice = await ari.Delete("/ari/applications/routing112/subscription?eventSource=endpoint%3APJSIP%2Fcalltaker-1");
        Assert.Empty(twice.Json.GetProperty("endpoint_ids").EnumerateArray());
    }

    [Fact]
    public async Task An_endpoint_subscription_keeps_a_disconnected_app_alive_and_its_events_are_dropped_meanwhile()
    {
        await using var sim = await StartAsync();
        using var ari = new AriClient(sim);
        var events = await EventStream.ConnectAsync(sim);
        await ari.Post("/ari/applications/routing112/subscription?eventSource=endpoint%3APJSIP%2Fcalltaker-1");
        await events.CloseAsync();
        await events.DisposeAsync();
        await Wait.UntilAsync(() => sim.ConnectedEventSockets == 0, "socket gone");

        sim.CallTakers["calltaker-1"].Unregister(); // nobody listening: lost, never replayed
        Assert.Equal(200, (await ari.Get("/ari/applications/routing112")).Status);
        await using var again = await EventStream.ConnectAsync(sim);
        sim.CallTakers["calltaker-1"].Register();
        var first = await again.NextAsync();
        Assert.Equal("EndpointStateChange", Json.Type(first));
        Assert.Equal("online", first.GetProperty("endpoint").GetProperty("state").GetString());
    }

    [Fact]
    public async Task Endpoint_subscriptions_dropped_before_the_websocket_closes_let_the_close_destroy_the_app_dropped_after_it_the_app_stays_listed_until_the_next_cleanup()
    {
        const string Endpoint = "/ari/applications/routing112/subscription?eventSource=endpoint%3APJSIP%2Fcalltaker-1";
        await using var sim = await StartAsync();
        using var ari = new AriClient(sim);

        // A clean stop: unsubscribe, then close. The unregister's cleanup finds the app finished (res_stasis.c).
        var events = await EventStream.ConnectAsync(sim);
        await ari.Post(Endpoint);
        Assert.Empty((await ari.Delete(Endpoint)).Json.GetProperty("endpoint_ids").EnumerateArray());
        await events.CloseAsync();
        await events.DisposeAsync();
        await Wait.UntilAsync(() => sim.ConnectedEventSockets == 0, "socket gone");
        Assert.Equal(404, (await ari.Get("/ari/applications/routing112")).Status);

        // Too late: an unsubscribe runs no cleanup, so the app stays listed, holding nothing, until the next one.
        var again = await EventStream.ConnectAsync(sim);
        await ari.Post(Endpoint);
        await again.CloseAsync();
        await again.DisposeAsync();
        await Wait.UntilAsync(() => sim.ConnectedEventSockets == 0, "socket gone");
        Assert.Empty((await ari.Delete(Endpoint)).Json.GetProperty("endpoint_ids").EnumerateArray());
        Assert.Equal(200, (await ari.Get("/ari/applications/routing112")).Status);
        await using var other = await EventStream.ConnectAsync(sim, app: "other-app");
        Assert.Equal(404, (await ari.Get("/ari/applications/routing112")).Status);
    }
}
