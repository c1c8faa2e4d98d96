using Microsoft.Extensions.Time.Testing;
using Routing.Simulator.Tests.Support;

namespace Routing.Simulator.Tests;

/// <summary>Playbacks: queued one after another, real WAV lengths, stop, missing files.</summary>
public sealed class PlaybackTests : IDisposable
{
    private readonly string _sounds = Directory.CreateTempSubdirectory("sim-sounds-").FullName;

    public void Dispose() => Directory.Delete(_sounds, recursive: true);

    private static async Task<(SimulatedAsterisk Sim, AriClient Ari, EventStream Events, SimulatedCall Call)> AnsweredCallAsync(Action<SimulatorOptions> configure)
    {
        var sim = await Sims.StartAsync(configure);
        var ari = new AriClient(sim);
        var events = await EventStream.ConnectAsync(sim);
        var call = await sim.PlaceCallAsync(Sims.TestCaller(), CancellationToken.None);
        await events.UntilAsync("StasisStart");
        await ari.Post($"/ari/channels/{call.ChannelId}/answer");
        await events.UntilAsync("ChannelStateChange");
        return (sim, ari, events, call);
    }

    [Fact]
    public async Task Playbacks_on_one_channel_play_one_after_another_for_their_wav_length()
    {
        var clock = new FakeTimeProvider();
        Sims.WriteWav(Path.Combine(_sounds, "welcome.wav"), TimeSpan.FromMilliseconds(1500));
        Directory.CreateDirectory(Path.Combine(_sounds, "kk"));
        Sims.WriteWav(Path.Combine(_sounds, "kk", "menu.wav"), TimeSpan.FromMilliseconds(700));
        var (sim, ari, events, call) = await AnsweredCallAsync(o => { o.SoundsDirectory = _sounds; o.Time = clock; });
        await using var _ = sim;
        using var __ = ari;
        await using var ___ = events;

        var first = await ari.Post($"/ari/channels/{call.ChannelId}/play?media=sound:welcome&playbackId=p1");
        var second = await ari.Post($"/ari/channels/{call.ChannelId}/play?media=sound:menu&lang=kk&playbackId=p2");
        Assert.Equal(201, first.Status);
        Assert.Equal($$"""{"id":"p2","media_uri":"sound:menu","target_uri":"channel:{{call.ChannelId}}","language":"kk","state":"queued"}""", second.Body);
        var started = await events.NextAsync();
        Assert.Equal(("PlaybackStarted", "p1"), (Json.Type(started), started.GetProperty("playback").GetProperty("id").GetString()));
        Assert.Equal("playing", (await ari.Get("/ari/playbacks/p1")).Json.GetProperty("state").GetString());
        Assert.Equal("queued", (await ari.Get("/ari/playbacks/p2")).Json.GetProperty("state").GetString());

        clock.Advance(TimeSpan.FromMilliseconds(1499));
        Assert.True(await events.NothingForAsync(TimeSpan.FromMilliseconds(50)));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("PlaybackFinished done p1", Describe(await events.NextAsync()));
        Assert.Equal("PlaybackStarted playing p2", Describe(await events.NextAsync()));
        clock.Advance(TimeSpan.FromMilliseconds(700));
        Assert.Equal("PlaybackFinished done p2", Describe(await events.NextAsync()));
        Assert.Equal(404, (await ari.Get("/ari/playbacks/p2")).Status);
        Assert.Equal(["sound:welcome", "sound:menu"], call.MediaPlayed);
    }

    private static string Describe(System.Text.Json.JsonElement e)
    {
        var p = e.GetProperty("playback");
        return $"{Json.Type(e)} {p.GetProperty("state").GetString()} {p.GetProperty("id").GetString()}";
    }

    [Fact]
    public async Task Stopping_a_playback_finishes_it_done_and_starts_the_next_and_a_stopped_queued_one_never_plays()
    {
        var (sim, ari, events, call) = await AnsweredCallAsync(o => o.SoundDurations["sound:long"] = TimeSpan.FromMinutes(1));
        await using var _ = sim;
        using var __ = ari;
        await using var ___ = events;
        await ari.Post($"/ari/channels/{call.ChannelId}/play?media=sound:long&playbackId=a");
        await ari.Post($"/ari/channels/{call.ChannelId}/play?media=sound:long&playbackId=b");
        await ari.Post($"/ari/channels/{call.ChannelId}/play?media=sound:long&playbackId=c");
        Assert.Equal("PlaybackStarted playing a", Describe(await events.NextAsync()));

        Assert.Equal(204, (await ari.Delete("/ari/playbacks/b")).Status);
        Assert.Equal(204, (await ari.Delete("/ari/playbacks/a")).Status);

        Assert.Equal("PlaybackFinished done a", Describe(await events.NextAsync()));
        Assert.Equal("PlaybackFinished done b", Describe(await events.NextAsync())); // cancelled while queued: "done", never started
        Assert.Equal("PlaybackStarted playing c", Describe(await events.NextAsync()));
    }

    [Fact]
    public async Task A_caller_hanging_up_mid_prompt_ends_the_playback_before_StasisEnd()
    {
        var (sim, ari, events, call) = await AnsweredCallAsync(o => o.SoundDurations["sound:long"] = TimeSpan.FromMinutes(1));
        await using var _ = sim;
        using var __ = ari;
        await using var ___ = events;
        await ari.Post($"/ari/channels/{call.ChannelId}/play?media=sound:long&playbackId=a");
        await events.UntilAsync("PlaybackStarted");

        call.HangUp();

        var (_, before) = await events.UntilAsync("StasisEnd");
        Assert.Equal(["ChannelHangupRequest", "PlaybackFinished"], before.Select(Json.Type));
        Assert.False(before[0].TryGetProperty("soft", out var __s)); // a caller BYE is not a soft hangup
        // A caller's BYE carries no cause at all (every caller hang-up in the turn2 traces); the cause is in the CallEnd.
        Assert.False(before[0].TryGetProperty("cause", out var __c));
        Assert.True(await events.NothingForAsync(TimeSpan.FromMilliseconds(100))); // no ChannelDestroyed for the caller
        Assert.Equal(new CallEnd("caller", 16, true, null, null), await Wait.ForAsync(call.Ended));
    }

    [Fact]
    public async Task A_broken_wav_file_fails_like_a_missing_one()
    {
        File.WriteAllText(Path.Combine(_sounds, "broken.wav"), "not a wav");
        var (sim, ari, events, call) = await AnsweredCallAsync(o => o.SoundsDirectory = _sounds);
        await using var _ = sim;
        using var __ = ari;
        await using var ___ = events;
        await ari.Post($"/ari/channels/{call.ChannelId}/play?media=sound:broken&playbackId=x");
        await ari.Post($"/ari/channels/{call.ChannelId}/play?media=sound:../../etc/passwd&playbackId=y");
        Assert.Equal("PlaybackStarted playing x", Describe(await events.NextAsync()));
        Assert.Equal("PlaybackFinished failed x", Describe(await events.NextAsync()));
        Assert.Equal("PlaybackStarted playing y", Describe(await events.NextAsync()));
        Assert.Equal("PlaybackFinished failed y", Describe(await events.NextAsync()));
    }
}
