using Microsoft.Extensions.Time.Testing;
using Routing.Simulator.Tests.Support;

namespace Routing.Simulator.Tests;

/// <summary>Scripted callers: digits counted from the answer, hang-up counted from the call's start, all on the injected clock.</summary>
public sealed class CallerScriptTests
{
    [Fact]
    public async Task Scripted_digits_start_at_answer_and_the_caller_gives_up_on_time()
    {
        var clock = new FakeTimeProvider();
        await using var sim = await Sims.StartAsync(o => o.Time = clock);
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);
        var script = Sims.TestCaller(hangUpAfter: TimeSpan.FromSeconds(10),
            dtmf: [new DtmfStep('2', TimeSpan.FromSeconds(2)), new DtmfStep('1', TimeSpan.FromSeconds(1))]);
        var call = await sim.PlaceCallAsync(script, CancellationToken.None);
        await events.UntilAsync("StasisStart");

        clock.Advance(TimeSpan.FromSeconds(3)); // nothing is pressed before the answer
        Assert.True(await events.NothingForAsync(TimeSpan.FromMilliseconds(50)));
        await ari.Post($"/ari/channels/{call.ChannelId}/answer");
        await events.UntilAsync("ChannelStateChange");

        clock.Advance(TimeSpan.FromSeconds(2));
        var two = await events.NextAsync();
        Assert.Equal(("ChannelDtmfReceived", "2", 280), (Json.Type(two), two.GetProperty("digit").GetString(), two.GetProperty("duration_ms").GetInt32()));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("1", (await events.NextAsync()).GetProperty("digit").GetString());

        clock.Advance(TimeSpan.FromSeconds(4)); // 10 s after the start
        Assert.Equal("ChannelHangupRequest", Json.Type(await events.NextAsync()));
        Assert.Equal("StasisEnd", Json.Type(await events.NextAsync()));
        Assert.Equal("caller", (await Wait.ForAsync(call.Ended)).HungUpBy);
        Assert.Contains(call.Timeline, l => l.StartsWith("+5.000s pressed 2"));
    }

    [Fact]
    public async Task A_caller_with_a_talk_time_hangs_up_that_long_after_being_put_through_not_after_the_start()
    {
        // No app websocket: the dialplan fallback dials police, which answers after 50 ms of the clock.
        var clock = new FakeTimeProvider();
        await using var sim = await Sims.StartAsync(o => o.Time = clock);
        var call = await sim.PlaceCallAsync(Sims.TestCaller() with { TalkFor = TimeSpan.FromSeconds(10) }, CancellationToken.None);

        await Wait.UntilAsync(() => { clock.Advance(TimeSpan.FromMilliseconds(10)); return call.BridgedWith == "police"; }, "the fallback to police was answered");
        clock.Advance(TimeSpan.FromSeconds(9.9));
        Assert.False(call.Ended.IsCompleted, string.Join(" | ", call.Timeline));
        clock.Advance(TimeSpan.FromSeconds(0.1));

        Assert.Equal(("caller", "police"), ((await Wait.ForAsync(call.Ended)).HungUpBy, call.BridgedWith));
    }

    [Fact]
    public async Task Music_on_hold_is_recorded_on_the_call()
    {
        await using var sim = await Sims.StartAsync();
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);
        var call = await sim.PlaceCallAsync(Sims.TestCaller(), CancellationToken.None);
        await events.UntilAsync("StasisStart");
        Assert.False(call.HeardMusicOnHold);

        Assert.Equal(204, (await ari.Post($"/ari/channels/{call.ChannelId}/moh")).Status);
        Assert.Equal(204, (await ari.Delete($"/ari/channels/{call.ChannelId}/moh")).Status);

        Assert.True(call.HeardMusicOnHold);
        Assert.Contains(call.Timeline, l => l.EndsWith("music on hold started"));
    }

    [Theory]
    [InlineData('x')]
    [InlineData(' ')]
    public async Task A_digit_that_is_not_DTMF_is_refused_naming_it(char digit)
    {
        await using var sim = await Sims.StartAsync();
        var call = await sim.PlaceCallAsync(Sims.TestCaller(), CancellationToken.None);
        var ex = Assert.Throws<ArgumentException>(() => call.SendDtmf(digit));
        Assert.Contains($"'{digit}'", ex.Message);
        var scripted = await Assert.ThrowsAsync<ArgumentException>(() =>
            sim.PlaceCallAsync(Sims.TestCaller(dtmf: [new DtmfStep('1', TimeSpan.Zero), new DtmfStep(digit, TimeSpan.Zero)]), CancellationToken.None));
        Assert.Contains("Dtmf[1]", scripted.Message);
    }

    [Fact]
    public async Task A_hostile_caller_id_is_carried_verbatim_in_valid_JSON()
    {
        await using var sim = await Sims.StartAsync();
        await using var events = await EventStream.ConnectAsync(sim);
        const string name = "\"Robert'); DROP TABLE calls;--\" <\\u0000> Ωмега \u0007";
        await sim.PlaceCallAsync(new CallScript("+7\"701", CallerName: name), CancellationToken.None);
        var (start, _) = await events.UntilAsync("StasisStart");
        Assert.Equal(name, start.GetProperty("channel").GetProperty("caller").GetProperty("name").GetString());
        Assert.Equal("+7\"701", start.GetProperty("channel").GetProperty("caller").GetProperty("number").GetString());
    }
}
