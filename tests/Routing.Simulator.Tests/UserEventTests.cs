using Routing.Simulator.Tests.Support;

namespace Routing.Simulator.Tests;

/// <summary>POST /events/user/{eventName} (res/ari/resource_events.c, res_stasis.c stasis_app_user_event):
/// the event goes to the app's own topic, behind what the app was sent before; the engine relies on that order.</summary>
public sealed class UserEventTests
{
    [Fact]
    public async Task A_user_event_reaches_the_app_after_the_StasisStart_published_before_it()
    {
        await using var sim = await Sims.StartAsync();
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);
        await sim.PlaceCallAsync(Sims.TestCaller(), CancellationToken.None);

        var reply = await ari.Post("/ari/events/user/routing112-barrier-1?application=routing112");

        Assert.Equal(204, reply.Status);
        var (marker, before) = await events.UntilAsync("ChannelUserevent");
        Assert.Contains(before, e => Json.Type(e) == "StasisStart");
        Assert.Equal("routing112-barrier-1", marker.GetProperty("eventname").GetString());
        Assert.Equal("routing112-barrier-1", marker.GetProperty("userevent").GetProperty("eventname").GetString());
        Assert.Equal("routing112", marker.GetProperty("application").GetString());
    }

    [Fact]
    public async Task A_user_event_for_an_unknown_app_or_without_one_is_refused_as_Asterisk_does()
    {
        await using var sim = await Sims.StartAsync();
        using var ari = new AriClient(sim);

        var unknown = await ari.Post("/ari/events/user/x?application=nobody");
        var missing = await ari.Post("/ari/events/user/x");

        Assert.Equal((404, "Application not found"), (unknown.Status, unknown.Json.GetProperty("message").GetString()));
        Assert.Equal((400, "Missing parameter application"), (missing.Status, missing.Json.GetProperty("message").GetString()));
    }
}
