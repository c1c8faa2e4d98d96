using Microsoft.Extensions.Time.Testing;
using Routing.Simulator.Tests.Support;

namespace Routing.Simulator.Tests;

/// <summary>
/// TIMEOUT(absolute), the dead man's switch: the dialplan arms it before Stasis(), the engine pushes it back
/// (AMI Setvar) while it lives; if nobody does, the caller leaves Stasis with StasisEnd and the dialplan's T
/// extension dials the fallback (main/pbx.c, funcs/func_timeout.c, res/res_stasis.c).
/// </summary>
public sealed class AbsoluteTimeoutTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(6);

    private static async Task<(SimulatedAsterisk Sim, AriClient Ari, EventStream Events, SimulatedCall Call)> WaitingCallerAsync(FakeTimeProvider clock, string dialled = "101")
    {
        var sim = await Sims.StartAsync(o =>
        {
            o.Time = clock;
            o.Dialplan.AbsoluteTimeout = Window;
        });
        var ari = new AriClient(sim);
        var events = await EventStream.ConnectAsync(sim);
        var call = await sim.PlaceCallAsync(Sims.TestCaller(dialled), CancellationToken.None);
        await events.UntilAsync("StasisStart");
        Assert.Equal(204, (await ari.Post($"/ari/channels/{call.ChannelId}/answer")).Status);
        await events.UntilAsync("ChannelStateChange"); // the answer's event: what follows is the timeout's doing
        return (sim, ari, events, call);
    }

    [Fact]
    public async Task A_waiting_caller_nobody_rearms_leaves_Stasis_when_the_timeout_fires_and_the_T_extension_dials_the_entrys_fallback()
    {
        var clock = new FakeTimeProvider();
        var (sim, ari, events, call) = await WaitingCallerAsync(clock);
        await using var _ = sim;
        using var __ = ari;
        await using var ___ = events;

        clock.Advance(Window - TimeSpan.FromMilliseconds(1));
        Assert.True(await events.NothingForAsync(TimeSpan.FromMilliseconds(50)));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await events.UntilAsync("StasisEnd");
        clock.Advance(TimeSpan.FromMilliseconds(50)); // the fire trunk answers after 50 ms

        await Wait.UntilAsync(() => call.BridgedWith == "fire", "the fallback to fire answered");
        Assert.True(call.LeftStasisOnTimeout);
        Assert.Equal("fire", call.FallbackEndpoint);
        Assert.Equal("SUCCESS", (await ari.Get($"/ari/channels/{call.ChannelId}/variable?variable=STASISSTATUS")).Json.GetProperty("value").GetString());
        Assert.Equal("1", (await ari.Get($"/ari/channels/{call.ChannelId}/variable?variable=ROUTING112_DEADMAN")).Json.GetProperty("value").GetString());
    }

    [Fact]
    public async Task Rearming_over_AMI_pushes_the_timeout_back_and_zero_clears_it()
    {
        var clock = new FakeTimeProvider();
        var (sim, ari, events, call) = await WaitingCallerAsync(clock);
        await using var _ = sim;
        using var __ = ari;
        await using var ___ = events;
        await using var ami = await AmiClient.ConnectAsync(sim);

        clock.Advance(TimeSpan.FromSeconds(4));
        await ami.SendAsync($"Action: Setvar\r\nActionID: a1\r\nChannel: {call.ChannelId}\r\nVariable: TIMEOUT(absolute)\r\nValue: 6\r\n\r\n");
        await ami.WaitForMessageAsync(m => m.Contains("ActionID: a1", StringComparison.Ordinal) && m.Contains("Response: Success", StringComparison.Ordinal), "Setvar answered");
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(await events.NothingForAsync(TimeSpan.FromMilliseconds(50)));
        Assert.False(call.LeftStasisOnTimeout);

        await ami.SendAsync($"Action: Setvar\r\nActionID: a2\r\nChannel: {call.ChannelId}\r\nVariable: TIMEOUT(absolute)\r\nValue: 0\r\n\r\n");
        await ami.WaitForMessageAsync(m => m.Contains("ActionID: a2", StringComparison.Ordinal) && m.Contains("Response: Success", StringComparison.Ordinal), "Setvar 0 answered");
        clock.Advance(TimeSpan.FromMinutes(5));

        Assert.True(await events.NothingForAsync(TimeSpan.FromMilliseconds(50)));
        Assert.False(call.LeftStasisOnTimeout);
        Assert.Null(call.FallbackEndpoint);
        Assert.Equal("0", (await ari.Get($"/ari/channels/{call.ChannelId}/variable?variable=TIMEOUT(absolute)")).Json.GetProperty("value").GetString());
    }

    [Fact]
    public async Task Reading_the_timeout_gives_the_seconds_left_and_writing_it_over_ARI_raises_no_ChannelVarset()
    {
        var clock = new FakeTimeProvider();
        var (sim, ari, events, call) = await WaitingCallerAsync(clock);
        await using var _ = sim;
        using var __ = ari;
        await using var ___ = events;

        clock.Advance(TimeSpan.FromMilliseconds(1500));
        Assert.Equal("4.500", (await ari.Get($"/ari/channels/{call.ChannelId}/variable?variable=TIMEOUT(absolute)")).Json.GetProperty("value").GetString());
        Assert.Equal(204, (await ari.Post($"/ari/channels/{call.ChannelId}/variable?variable=TIMEOUT(absolute)&value=20")).Status);

        Assert.Equal("20.000", (await ari.Get($"/ari/channels/{call.ChannelId}/variable?variable=TIMEOUT(absolute)")).Json.GetProperty("value").GetString());
        Assert.True(await events.NothingForAsync(TimeSpan.FromMilliseconds(50))); // a function write is no ChannelVarset
    }

    [Fact]
    public async Task AMI_Setvar_on_a_channel_that_does_not_exist_answers_no_such_channel()
    {
        await using var sim = await Sims.StartAsync();
        await using var ami = await AmiClient.ConnectAsync(sim);

        await ami.SendAsync("Action: Setvar\r\nActionID: x1\r\nChannel: 1733000000.999\r\nVariable: TIMEOUT(absolute)\r\nValue: 6\r\n\r\n");

        await ami.WaitForMessageAsync(m => m.Contains("ActionID: x1", StringComparison.Ordinal) && m.Contains("Response: Error", StringComparison.Ordinal)
            && m.Contains("Message: No such channel", StringComparison.Ordinal), "Setvar refused with 'No such channel'");
    }

    [Fact]
    public async Task The_fallback_clears_the_timeout_so_a_conversation_it_put_through_is_not_cut()
    {
        var clock = new FakeTimeProvider();
        await using var sim = await Sims.StartAsync(o =>
        {
            o.Time = clock;
            o.Dialplan.AbsoluteTimeout = Window;
        });

        // No app connected: Stasis() fails at once and the fallback dials fire with the timeout still armed.
        var call = await sim.PlaceCallAsync(Sims.TestCaller("101"), CancellationToken.None);
        clock.Advance(TimeSpan.FromMilliseconds(50));
        await Wait.UntilAsync(() => call.BridgedWith == "fire", "the fallback to fire answered");
        clock.Advance(TimeSpan.FromMinutes(5));

        Assert.False(call.Ended.IsCompleted);
        Assert.False(call.LeftStasisOnTimeout);
        call.HangUp();
        Assert.Equal("caller", (await Wait.ForAsync(call.Ended)).HungUpBy);
    }
}
