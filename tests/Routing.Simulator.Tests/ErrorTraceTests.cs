using System.Net.WebSockets;
using System.Text.Json;
using Routing.Simulator.Tests.Support;

namespace Routing.Simulator.Tests;

/// <summary>Every applicable row of ari-errors.jsonl, replayed in order, answers the same status and the same error body.</summary>
public sealed class ErrorTraceTests : IDisposable
{
    private const string TraceCaller = "1795486430.9";
    private readonly string _sounds = Directory.CreateTempSubdirectory("sim-sounds-").FullName;

    public void Dispose() => Directory.Delete(_sounds, recursive: true);

    private static string? SkipReason(JsonElement row)
    {
        string note = row.TryGetProperty("note", out var n) ? n.GetString() ?? "" : "";
        string path = row.GetProperty("path").GetString()!;
        if (row.TryGetProperty("websocket", out _)) return "websocket handshake (see the handshake test)";
        if (note.Contains("keep-alive")) return "Asterisk's stale per-thread 409 on a reused connection is not reproduced";
        return null;
    }

    [Fact]
    public async Task Every_applicable_error_row_answers_the_same_status_and_body()
    {
        Sims.WriteWav(Path.Combine(_sounds, "beep.wav"), TimeSpan.FromMilliseconds(250));
        await using var sim = await Sims.StartAsync(o =>
        {
            o.SoundsDirectory = _sounds;
            o.Trunks["fire"] = TrunkBehavior.Busy(TimeSpan.FromMilliseconds(20));
            o.Trunks["ambulance"] = TrunkBehavior.NoAnswer;
            o.Trunks["police"] = TrunkBehavior.Fails(TimeSpan.FromMinutes(1)); // unreachable: only the originate timeout ends it
        });
        using var ari = new AriClient(sim);
        using var anonymous = new AriClient(sim, user: null);
        using var wrongPassword = new AriClient(sim, password: "wrong");
        await using var events = await EventStream.ConnectAsync(sim);
        var call = await sim.PlaceCallAsync(Sims.TestCaller(), CancellationToken.None);
        await events.UntilAsync("StasisStart");

        int checkedRows = 0;
        var skipped = new List<string>();
        foreach (var row in Traces.JsonLines("ari-errors.jsonl"))
        {
            string note = row.TryGetProperty("note", out var n) ? n.GetString() ?? "" : "";
            if (SkipReason(row) is { } why) { skipped.Add(why); continue; }
            if (note == "1 s later") await events.UntilAsync("PlaybackFinished", e => e.GetProperty("playback").GetProperty("id").GetString() == "pb-after-bad-scheme");

            string url = row.GetProperty("request_url").GetString()!.Replace(TraceCaller, call.ChannelId);
            string? body = row.GetProperty("request_body").ValueKind == JsonValueKind.Null ? null : row.GetProperty("request_body").GetRawText();
            var client = note == "no credentials" ? anonymous : note == "wrong password" ? wrongPassword : ari;
            var reply = await client.SendAsync(row.GetProperty("method").GetString()!, url, body);

            int expected = row.GetProperty("status").GetInt32();
            Assert.True(expected == reply.Status, $"{row.GetProperty("method")} {url} ({note}): expected {expected}, got {reply}");
            var expectedBody = row.GetProperty("body");
            if (expectedBody.ValueKind != JsonValueKind.Null)
            {
                if (expected >= 400 || url.Contains("/endpoints/"))
                    Assert.True(Json.DeepEquals(reply.Body, expectedBody), $"{url}: expected {expectedBody}, got {reply.Body}");
                else
                    Assert.Equal(Json.Shape(expectedBody), Json.Shape(reply.Json));
            }
            checkedRows++;

            if (note.StartsWith("originate: agency answers 486"))
                await events.UntilAsync("ChannelDestroyed", e => e.GetProperty("channel").GetProperty("id").GetString() == "fire-busy-1");
            if (note == "dial a created channel")
                await events.UntilAsync("ChannelDestroyed", e => e.GetProperty("channel").GetProperty("id").GetString() == "fire-busy-2");
        }

        Assert.Equal(51, checkedRows);
        Assert.Equal(7, skipped.Count); // 5 websocket rows, 2 keep-alive 409 quirks
        Assert.Equal(0, sim.Stats.InternalErrors);
    }

    [Theory]
    [InlineData("app=routing112&api_key=routing:wrong", 401)]
    [InlineData("app=routing112", 401)]
    [InlineData("api_key=routing:routing-secret", 400)]
    [InlineData("app=&api_key=routing:routing-secret", 400)]
    public async Task Websocket_handshake_errors_are_those_of_the_trace(string query, int status)
    {
        var rows = Traces.JsonLines("ari-errors.jsonl").Where(r => r.TryGetProperty("websocket", out _) && r.GetProperty("status").GetInt32() != 101);
        Assert.Contains(rows, r => r.GetProperty("path").GetString()!.Replace("<password>", "routing-secret") == "/ari/events?" + query && r.GetProperty("status").GetInt32() == status);

        await using var sim = await Sims.StartAsync();
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var uri = new Uri($"ws://{sim.AriBaseUrl.Host}:{sim.AriBaseUrl.Port}/ari/events?{query}");
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, CancellationToken.None));
        Assert.Equal(status, (int)socket.HttpStatusCode);
        Assert.Equal(0, sim.ConnectedEventSockets);
    }
}
