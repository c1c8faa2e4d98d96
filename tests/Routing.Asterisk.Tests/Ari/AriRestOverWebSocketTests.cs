using System.Net;
using System.Text.Json;
using Routing.Asterisk.Ari;
using Routing.Asterisk.Tests.Support;

namespace Routing.Asterisk.Tests.Ari;

/// <summary>ARI REST over the event websocket: the same typed client, RESTRequest/RESTResponse on the wire.</summary>
public sealed class AriRestOverWebSocketTests : IAsyncDisposable
{
    private const string FireChannel = """{"id":"fire-1795486382.2","name":"PJSIP/fire-00000003","state":"Down","caller":{"name":"112 Leitstelle","number":"112"}}""";

    private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(20));
    private readonly LoopbackWebSocketServer _server = new();
    private readonly AriEventStream _stream;
    private readonly AriRestClient _client;
    private readonly Task _run;

    public AriRestOverWebSocketTests()
    {
        var options = AriTestOptions.For(_server.AriUrl);
        options.RequestTimeout = TimeSpan.FromSeconds(2);
        _stream = new AriEventStream(options);
        _client = new AriRestClient(options, _stream);
        _run = _stream.RunAsync(_stop.Token);
    }

    private async Task<ServerSocket> ConnectedAsync()
    {
        var server = await _server.NextAsync();
        Assert.IsType<AriConnected>(await Eventually.Within(_stream.Reader.ReadAsync().AsTask(), "connected"));
        return server;
    }

    private static Task Reply(ServerSocket server, JsonElement request, int status, string reason, string? body) =>
        server.SendAsync(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["type"] = "RESTResponse",
            ["transaction_id"] = request.GetProperty("transaction_id").GetString(),
            ["request_id"] = request.GetProperty("request_id").GetString(),
            ["status_code"] = status,
            ["reason_phrase"] = reason,
            ["uri"] = request.GetProperty("uri").GetString(),
            ["content_type"] = body is null ? null : "application/json",
            ["message_body"] = body,
        }));

    [Fact]
    public async Task Answer_goes_as_a_RESTRequest_and_completes_on_its_RESTResponse()
    {
        var server = await ConnectedAsync();
        var answer = _client.AnswerAsync("1795486382.2");

        var request = JsonDocument.Parse(await server.ReceiveTextAsync()).RootElement;
        Assert.Equal("RESTRequest", request.GetProperty("type").GetString());
        Assert.Equal("POST", request.GetProperty("method").GetString());
        Assert.Equal("channels/1795486382.2/answer", request.GetProperty("uri").GetString());
        Assert.False(request.TryGetProperty("message_body", out _));

        await Reply(server, request, 204, "No Content", null);
        await Eventually.Within(answer, "answer");
    }

    [Fact]
    public async Task Originate_sends_plain_query_strings_and_the_variables_body()
    {
        var server = await ConnectedAsync();
        var originate = _client.OriginateAsync(new AriOriginateRequest("PJSIP/fire", "routing112", "fire-1795486382.2")
        {
            CallerId = "\"112 Leitstelle\" <112>",
            Variables = new Dictionary<string, string> { ["INCIDENT_CALLER"] = "1795486382.2" },
        });

        var request = JsonDocument.Parse(await server.ReceiveTextAsync()).RootElement;
        Assert.Equal("channels", request.GetProperty("uri").GetString());
        var query = request.GetProperty("query_strings").EnumerateArray()
            .Select(p => (p.GetProperty("name").GetString(), p.GetProperty("value").GetString())).ToList();
        Assert.Equal([("endpoint", "PJSIP/fire"), ("app", "routing112"), ("callerId", "\"112 Leitstelle\" <112>"), ("channelId", "fire-1795486382.2")], query);
        Assert.Equal("application/json", request.GetProperty("content_type").GetString());
        Assert.Equal("""{"variables":{"INCIDENT_CALLER":"1795486382.2"}}""", request.GetProperty("message_body").GetString());

        await Reply(server, request, 200, "OK", FireChannel);
        var channel = await Eventually.Within(originate, "originate");
        Assert.Equal(("fire-1795486382.2", "Down"), (channel.Id, channel.State));
    }

    [Fact]
    public async Task Error_response_maps_like_http_and_events_keep_flowing_around_responses()
    {
        var server = await ConnectedAsync();
        var get = _client.GetChannelAsync("1795486430.9");
        var request = JsonDocument.Parse(await server.ReceiveTextAsync()).RootElement;

        var stasisEnd = File.ReadLines(Traces.PathOf("ari-call-101-direct-continue.events.jsonl")).First(l => l.Contains("\"StasisEnd\""));
        await server.SendAsync(stasisEnd);
        await Reply(server, request, 404, "Not Found", """{"message":"Channel not found"}""");

        var ex = await Assert.ThrowsAsync<AriException>(() => get);
        Assert.True(ex.IsNotFound);
        Assert.Equal("/ari/channels/1795486430.9", ex.Path);
        Assert.IsType<StasisEnd>(await Eventually.Within(_stream.Reader.ReadAsync().AsTask(), "the event next to the response"));
    }

    [Fact]
    public async Task Losing_the_websocket_fails_the_request_in_flight()
    {
        var server = await ConnectedAsync();
        var answer = _client.AnswerAsync("1795486382.2");
        await server.ReceiveTextAsync();

        server.Abort();

        var ex = await Assert.ThrowsAsync<AriUnavailableException>(() => answer);
        Assert.Contains("may or may not have been carried out", ex.Message);
    }

    [Fact]
    public async Task Not_connected_is_reported_at_once()
    {
        await _stop.CancelAsync();
        await Eventually.Within(_run, "stream to stop");

        var ex = await Assert.ThrowsAsync<AriUnavailableException>(() => _client.AnswerAsync("1"));
        Assert.Contains("not connected", ex.Message);
    }

    [Fact]
    public async Task No_response_times_out_and_the_late_one_is_rejected_not_misrouted()
    {
        var server = await ConnectedAsync();
        var answer = _client.AnswerAsync("1795486382.2");
        var request = JsonDocument.Parse(await server.ReceiveTextAsync()).RootElement;

        await Assert.ThrowsAsync<AriTimeoutException>(() => answer);
        await Reply(server, request, 204, "No Content", null);

        var rejected = Assert.IsType<AriFrameRejected>(await Eventually.Within(_stream.Reader.ReadAsync().AsTask(), "late response"));
        Assert.Contains("nobody waits for", rejected.Error);
        Assert.True(_stream.State.IsConnected);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Eventually.Within(_run, "stream to stop at test end");
        _stream.Dispose();
        await _server.DisposeAsync();
    }
}
