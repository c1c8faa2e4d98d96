using System.Net.WebSockets;
using Routing.Simulator.Tests.Support;

namespace Routing.Simulator.Tests;

/// <summary>ari-websocket-drop.md: channels stay in Stasis, events in the gap are lost, live events flow after a reconnect.</summary>
public sealed class WebSocketDropTests
{
    [Fact]
    public async Task A_clean_close_keeps_the_channel_in_Stasis_loses_the_gap_and_delivers_live_events_after_reconnect()
    {
        await using var sim = await Sims.StartAsync();
        using var ari = new AriClient(sim);
        var conn1 = await EventStream.ConnectAsync(sim);
        var call = await sim.PlaceCallAsync(Sims.TestCaller(), CancellationToken.None);
        string id = call.ChannelId;
        await conn1.UntilAsync("StasisStart");
        await ari.Post($"/ari/channels/{id}/answer");
        await conn1.UntilAsync("ChannelStateChange");

        await sim.DropWebSocketsAsync(abort: false);
        await Wait.ForAsync(conn1.Closed.ContinueWith(_ => true));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, conn1.CloseStatus);

        // The gap: REST still works, the app still holds the channel, but nothing is delivered or kept.
        var app = await ari.Get("/ari/applications/routing112");
        Assert.Equal(200, app.Status);
        Assert.Equal([id], app.Json.GetProperty("channel_ids").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(201, (await ari.Post($"/ari/channels/{id}/play?media=sound:beep&playbackId=pb-while-disconnected")).Status);
        call.SendDtmf('4');
        await Wait.UntilAsync(() => sim.Stats.AriEventsDroppedInactiveApp >= 2, "the gap's events were dropped");

        await using var conn2 = await EventStream.ConnectAsync(sim);
        call.SendDtmf('6');
        var first = await conn2.NextAsync();
        Assert.Equal("ChannelDtmfReceived", Json.Type(first)); // no replay, no StasisStart for the held channel
        Assert.Equal("6", first.GetProperty("digit").GetString());

        Assert.Equal(204, (await ari.Delete($"/ari/channels/{id}")).Status);
        var (end, before) = await conn2.UntilAsync("StasisEnd");
        Assert.Equal(["ChannelHangupRequest"], before.Where(e => Json.Type(e) != "PlaybackFinished").Select(Json.Type));
        await conn2.CloseAsync();
        await Wait.UntilAsync(() => sim.ConnectedEventSockets == 0, "conn2 is gone");
        Assert.Equal(404, (await ari.Get("/ari/applications/routing112")).Status);
        await conn1.DisposeAsync();
    }

    [Fact]
    public async Task After_a_TCP_abort_a_caller_hanging_up_in_the_gap_is_never_reported_and_the_empty_app_is_destroyed()
    {
        await using var sim = await Sims.StartAsync();
        using var ari = new AriClient(sim);
        var conn1 = await EventStream.ConnectAsync(sim);
        var call = await sim.PlaceCallAsync(Sims.TestCaller(), CancellationToken.None);
        await conn1.UntilAsync("StasisStart");
        await ari.Post($"/ari/channels/{call.ChannelId}/answer");

        await sim.DropWebSocketsAsync(abort: true);
        await Wait.ForAsync(conn1.Closed.ContinueWith(_ => true));
        Assert.NotEqual(WebSocketCloseStatus.NormalClosure, conn1.CloseStatus);
        Assert.Equal(200, (await ari.Get("/ari/applications/routing112")).Status);

        call.HangUp();
        await Wait.ForAsync(call.Ended);
        Assert.Equal(404, (await ari.Get("/ari/applications/routing112")).Status);
        Assert.Equal("[]", (await ari.Get("/ari/channels")).Body);

        await using var conn2 = await EventStream.ConnectAsync(sim);
        var next = await sim.PlaceCallAsync(Sims.TestCaller(), CancellationToken.None);
        var first = await conn2.NextAsync();
        Assert.Equal("StasisStart", Json.Type(first)); // nothing about the call that ended while disconnected
        Assert.Equal(next.ChannelId, first.GetProperty("channel").GetProperty("id").GetString());
        Assert.Equal(404, (await ari.Get($"/ari/channels/{call.ChannelId}")).Status);
        await conn1.DisposeAsync();
    }

    [Fact]
    public async Task Injected_raw_frames_reach_every_socket_in_order_with_real_events()
    {
        await using var sim = await Sims.StartAsync();
        await using var a = await EventStream.ConnectAsync(sim);
        await using var b = await EventStream.ConnectAsync(sim, app: "observer");
        await Wait.UntilAsync(() => sim.ConnectedEventSockets == 2, "both sockets registered");

        await sim.InjectRawFrameAsync("{\"type\":\"FutureEvent\",\"x\":1}");
        await sim.InjectRawFrameAsync("{not json");
        await sim.PlaceCallAsync(Sims.TestCaller(), CancellationToken.None);

        Assert.Equal("{\"type\":\"FutureEvent\",\"x\":1}", await a.NextRawAsync());
        Assert.Equal("{not json", await a.NextRawAsync());
        Assert.Equal("StasisStart", Json.Type(await a.NextAsync()));
        Assert.Equal("{\"type\":\"FutureEvent\",\"x\":1}", await b.NextRawAsync());
        Assert.Equal("{not json", await b.NextRawAsync());
        Assert.True(await b.NothingForAsync(TimeSpan.FromMilliseconds(200))); // observer is not the call's app
    }
}

/// <summary>events.json: one websocket per app; the newer one wins and the older one gets ApplicationReplaced.</summary>
public sealed class ApplicationReplacedTests
{
    [Fact]
    public async Task A_second_websocket_for_the_same_app_takes_over_and_the_first_is_told()
    {
        await using var sim = await Sims.StartAsync();
        await using var older = await EventStream.ConnectAsync(sim);
        await using var newer = await EventStream.ConnectAsync(sim);
        await Wait.UntilAsync(() => sim.ConnectedEventSockets == 2, "both sockets connected");

        var replaced = await older.NextAsync();
        Assert.Equal("ApplicationReplaced", Json.Type(replaced));
        Assert.Equal("routing112", replaced.GetProperty("application").GetString());

        await sim.PlaceCallAsync(Sims.TestCaller(), CancellationToken.None);
        Assert.Equal("StasisStart", Json.Type(await newer.NextAsync()));
        Assert.True(await older.NothingForAsync(TimeSpan.FromMilliseconds(100)));
    }
}

/// <summary>A client that stops reading is cut off instead of stalling the PBX (Asterisk's websocket_write_timeout).</summary>
public sealed class SlowConsumerTests
{
    [Fact]
    public async Task An_event_socket_that_does_not_read_is_disconnected_when_its_queue_is_full_and_calls_go_on()
    {
        await using var sim = await Sims.StartAsync(o => o.OutgoingQueueCapacity = 2);
        using var stalled = new ClientWebSocket();
        await stalled.ConnectAsync(EventStream.Url(sim, "routing112"), CancellationToken.None); // and never reads
        await Wait.UntilAsync(() => sim.ConnectedEventSockets == 1, "the socket is registered");

        string megabyte = new('x', 1 << 20);
        for (int i = 0; i < 64 && sim.Stats.EventSocketsOverflowed == 0; i++)
            await sim.InjectRawFrameAsync(megabyte);

        Assert.True(sim.Stats.EventSocketsOverflowed > 0);
        await Wait.UntilAsync(() => sim.ConnectedEventSockets == 0, "the stalled socket was cut off", TimeSpan.FromSeconds(10));
        var call = await sim.PlaceCallAsync(Sims.TestCaller(), CancellationToken.None);
        Assert.Equal("police", call.FallbackEndpoint); // the app is inactive now; the PBX goes on
    }
}
