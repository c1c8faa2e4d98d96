using System.Text.Json;
using Routing.Simulator.Tests.Support;

namespace Routing.Simulator.Tests;

/// <summary>
/// ARI REST over the event websocket (events.json RESTRequest/RESTResponse, res/ari/ari_websocket_requests.c):
/// the same routes and answers as HTTP, on the socket, matched by request_id; what Asterisk refuses to parse
/// gets its 400 "Bad request" and the socket goes on.
/// </summary>
public sealed class RestOverWebSocketTests
{
    private static string Request(string method, string uri, string requestId, object? queryStrings = null, string? contentType = null, string? body = null)
    {
        var message = new Dictionary<string, object?>
        {
            ["type"] = "RESTRequest",
            ["transaction_id"] = "tx-" + requestId,
            ["request_id"] = requestId,
            ["method"] = method,
            ["uri"] = uri,
        };
        if (queryStrings is not null) message["query_strings"] = queryStrings;
        if (contentType is not null) message["content_type"] = contentType;
        if (body is not null) message["message_body"] = body;
        return JsonSerializer.Serialize(message);
    }

    private static Task<(JsonElement Match, List<JsonElement> Before)> ResponseTo(EventStream events, string requestId) =>
        events.UntilAsync("RESTResponse", e => e.GetProperty("request_id").GetString() == requestId);

    [Fact]
    public async Task Answer_sent_as_a_RESTRequest_answers_the_channel_and_comes_back_as_a_204_RESTResponse_counted_like_HTTP()
    {
        await using var sim = await Sims.StartAsync();
        await using var events = await EventStream.ConnectAsync(sim);
        var call = await sim.PlaceCallAsync(Sims.TestCaller(), CancellationToken.None);
        await events.UntilAsync("StasisStart");
        long before = sim.Stats.RestRequests;

        await events.SendAsync(Request("POST", $"channels/{call.ChannelId}/answer", "r1"));
        var (response, earlier) = await ResponseTo(events, "r1");

        Assert.Equal(("tx-r1", 204, "No Content", $"channels/{call.ChannelId}/answer"),
            (response.GetProperty("transaction_id").GetString(), response.GetProperty("status_code").GetInt32(),
             response.GetProperty("reason_phrase").GetString(), response.GetProperty("uri").GetString()));
        Assert.False(response.TryGetProperty("message_body", out _));
        Assert.Contains(earlier, e => Json.Type(e) == "ChannelStateChange" && e.GetProperty("channel").GetProperty("state").GetString() == "Up");
        Assert.Equal(before + 1, sim.Stats.RestRequests);
    }

    [Fact]
    public async Task Query_strings_a_query_in_the_uri_and_a_JSON_body_reach_the_route_and_its_JSON_answer_is_the_message_body()
    {
        await using var sim = await Sims.StartAsync(o => o.MaxRecordedRequests = 10);
        await using var events = await EventStream.ConnectAsync(sim);
        var call = await sim.PlaceCallAsync(Sims.TestCaller(), CancellationToken.None);
        await events.UntilAsync("StasisStart");

        await events.SendAsync(Request("POST", $"channels/{call.ChannelId}/play?playbackId=pb-1", "r2",
            queryStrings: new[] { new { name = "media", value = "sound:beep" } }));
        var (play, _) = await ResponseTo(events, "r2");
        Assert.Equal((201, "Created", "application/json"),
            (play.GetProperty("status_code").GetInt32(), play.GetProperty("reason_phrase").GetString(), play.GetProperty("content_type").GetString()));
        var playback = JsonDocument.Parse(play.GetProperty("message_body").GetString()!).RootElement;
        Assert.Equal(("pb-1", "sound:beep", "queued"),
            (playback.GetProperty("id").GetString(), playback.GetProperty("media_uri").GetString(), playback.GetProperty("state").GetString()));

        await events.SendAsync(Request("POST", $"channels/{call.ChannelId}/variable", "r3",
            contentType: "application/json", body: """{"variable":"ROUTING112_AGENCY","value":"fire"}"""));
        Assert.Equal(204, (await ResponseTo(events, "r3")).Match.GetProperty("status_code").GetInt32());
        Assert.Contains(sim.Requests, r => r is { Method: "POST", Status: 204 } && r.Path == $"/ari/channels/{call.ChannelId}/variable"
            && r.Body!.Contains("ROUTING112_AGENCY", StringComparison.Ordinal));
        Assert.Contains(sim.Requests, r => r.Path == $"/ari/channels/{call.ChannelId}/play" && r.Query == "playbackId=pb-1&media=sound:beep");
    }

    [Fact]
    public async Task A_channel_that_is_gone_answers_404_Channel_not_found_as_over_HTTP()
    {
        await using var sim = await Sims.StartAsync();
        await using var events = await EventStream.ConnectAsync(sim);

        await events.SendAsync(Request("POST", "channels/1795486382.99/answer", "r4"));
        var (response, _) = await ResponseTo(events, "r4");

        Assert.Equal((404, "Not Found"), (response.GetProperty("status_code").GetInt32(), response.GetProperty("reason_phrase").GetString()));
        Assert.True(Json.DeepEquals("""{"message":"Channel not found"}""", JsonDocument.Parse(response.GetProperty("message_body").GetString()!).RootElement));
    }

    [Theory]
    [InlineData("""{"request_id":"bad","method":"GET","uri":"asterisk/info"}""", "No 'type' property.")]
    [InlineData("""{"type":"RESTRequesT","request_id":"bad","method":"GET","uri":"asterisk/info"}""", "Unknown request type.")]
    [InlineData("""{"type":"RESTRequest","request_id":"bad","method":"GET"}""", "Empty or missing 'uri' property.")]
    [InlineData("""{"type":"RESTRequest","request_id":"bad","method":"FETCH","uri":"asterisk/info"}""", "Unknown or missing 'method' property.")]
    [InlineData("""{"type":"RESTRequest","request_id":"bad","method":"GET","uri":"asterisk/info","query_strings":{"a":"b"}}""", "Unable to parse 'query_strings' array.")]
    [InlineData("""{"type":"RESTRequest","request_id":"bad","method":"POST","uri":"bridges","message_body":"{}"}""", "No 'content_type' for 'message_body'.")]
    [InlineData("""{"type":"RESTRequest","request_id":"bad","method":"POST","uri":"bridges","content_type":"application/json","message_body":"{nope"}""", "Unable to parse 'message_body' as 'application/json'.")]
    [InlineData("""{"type":"RESTRequest","request_id":"bad","method":"POST","uri":"bridges","content_type":"text/plain","message_body":"x"}""", "Unknown content type.")]
    public async Task A_request_Asterisk_cannot_parse_gets_its_400_Bad_request_and_the_socket_goes_on(string message, string why)
    {
        await using var sim = await Sims.StartAsync();
        await using var events = await EventStream.ConnectAsync(sim);
        long before = sim.Stats.RestRequests;

        await events.SendAsync("this is not JSON"); // ignored, as Asterisk only logs it
        await events.SendAsync(message);
        var (response, _) = await ResponseTo(events, "bad");

        Assert.Equal((400, "Bad request"), (response.GetProperty("status_code").GetInt32(), response.GetProperty("reason_phrase").GetString()));
        Assert.Equal(why, JsonDocument.Parse(response.GetProperty("message_body").GetString()!).RootElement.GetProperty("message").GetString());
        Assert.Equal(before, sim.Stats.RestRequests); // never reached a route

        await events.SendAsync(Request("GET", "asterisk/info", "after"));
        Assert.Equal(200, (await ResponseTo(events, "after")).Match.GetProperty("status_code").GetInt32());
    }
}
