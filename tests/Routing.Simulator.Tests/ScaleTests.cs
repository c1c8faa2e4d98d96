using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Routing.Simulator.Tests.Support;
using Xunit.Abstractions;

namespace Routing.Simulator.Tests;

/// <summary>Hundreds of concurrent calls, each answered, prompted, dialled out and bridged, on a shared 2-core box.</summary>
public sealed class ScaleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Three_hundred_concurrent_calls_are_answered_bridged_and_cleared()
    {
        const int calls = 300;
        await using var sim = await Sims.StartAsync(o =>
        {
            o.SoundDurations["sound:welcome"] = TimeSpan.FromMilliseconds(50);
            o.Trunks["fire"] = TrunkBehavior.Answers(TimeSpan.FromMilliseconds(50));
        });
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);
        var work = new ConcurrentBag<Task>();
        var bridged = new ConcurrentDictionary<string, bool>();
        var failures = new ConcurrentBag<string>();

        // A tiny app: answer + prompt on arrival, dial fire when the prompt ends, bridge when fire answers.
        var app = Task.Run(async () =>
        {
            for (int handled = 0; handled < calls * 3;)
            {
                var e = await events.NextAsync(TimeSpan.FromSeconds(20));
                string type = Json.Type(e);
                if (type == "StasisStart" && e.GetProperty("args").GetArrayLength() == 0)
                {
                    string id = e.GetProperty("channel").GetProperty("id").GetString()!;
                    work.Add(Task.Run(async () =>
                    {
                        await ari.Post($"/ari/channels/{id}/answer");
                        await ari.Post($"/ari/channels/{id}/play?media=sound:welcome");
                    }));
                    handled++;
                }
                else if (type == "PlaybackFinished")
                {
                    string id = e.GetProperty("playback").GetProperty("target_uri").GetString()!["channel:".Length..];
                    work.Add(ari.Post($"/ari/channels?endpoint=PJSIP/fire&app=routing112&appArgs=leg,{id}&channelId=fire-{id}"));
                    handled++;
                }
                else if (type == "StasisStart")
                {
                    string caller = e.GetProperty("args")[1].GetString()!;
                    work.Add(Task.Run(async () =>
                    {
                        await ari.Post($"/ari/bridges?type=mixing&bridgeId=b-{caller}");
                        var r = await ari.Post($"/ari/bridges/b-{caller}/addChannel?channel={caller},fire-{caller}");
                        if (r.Status == 204) bridged[caller] = true;
                        else failures.Add($"addChannel {caller}: {r}");
                    }));
                    handled++;
                }
            }
        });

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var placed = await Task.WhenAll(Enumerable.Range(0, calls).Select(i =>
            sim.PlaceCallAsync(new CallScript($"+7701{i:D7}"), CancellationToken.None)));
        await Wait.ForAsync(app.ContinueWith(t => t), TimeSpan.FromSeconds(30));
        await app;
        await Task.WhenAll(work);
        foreach (var c in placed) c.HangUp();
        var ends = await Wait.ForAsync(Task.WhenAll(placed.Select(c => c.Ended)), TimeSpan.FromSeconds(30));
        wall.Stop();
        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;

        output.WriteLine($"{calls} calls: wall {wall.ElapsedMilliseconds} ms, process CPU (simulator + test client) {used.TotalMilliseconds:0} ms, {sim.Stats}");
        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(5)));
        Assert.Equal(calls, bridged.Count);
        Assert.All(placed, c => Assert.Equal("fire", c.BridgedWith));
        Assert.All(ends, e => Assert.Equal("caller", e.HungUpBy));
        Assert.Equal(0, sim.Stats.InternalErrors);
        Assert.Equal(0, sim.Stats.EventSocketsOverflowed);
    }
}
