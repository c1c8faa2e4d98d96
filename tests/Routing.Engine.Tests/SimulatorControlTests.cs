using System.Net;
using System.Net.Http.Json;

namespace Routing.Engine.Tests;

/// <summary>In simulated mode a person can place a call and break a trunk over the admin port.</summary>
public sealed class SimulatorControlTests
{
    [Fact]
    public async Task A_call_placed_over_HTTP_with_digits_is_routed_like_any_other()
    {
        await using var harness = await EngineHarness.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(harness.AdminUrl) };

        var busy = await http.PutAsJsonAsync("/simulator/trunks/ambulance-astana-1", new { behavior = "busy", afterMs = 20 });
        var placed = await http.PostAsJsonAsync("/simulator/calls", new { callerNumber = "+77171234567", dialed = "112", digits = "33", digitGapMs = 150, talkSeconds = 1, hangUpAfterSeconds = 600 });

        Assert.Equal(HttpStatusCode.NoContent, busy.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, placed.StatusCode);
        var channelId = (await placed.Content.ReadFromJsonAsync<PlacedCall>())!.ChannelId;
        var record = await harness.WaitForOutcomeAsync(channelId);
        Assert.Equal(["ambulance-astana-1", "ambulance-astana-2"], record.Legs.Select(l => l.Trunk));
        Assert.Equal("Completed", record.Outcome);
    }

    [Theory]
    [InlineData("/simulator/calls", """{"dialed":"112"}""", "callerNumber is required")]
    [InlineData("/simulator/calls", """{"callerNumber":"+7727","digits":"2; rm -rf"}""", "digits may hold only")]
    [InlineData("/simulator/calls", """{"callerNumber":"+7727","talkSeconds":-1}""", "talkSeconds must be between 0 and 3600")]
    public async Task A_bad_request_is_refused_with_a_message_naming_the_field(string path, string body, string message)
    {
        await using var harness = await EngineHarness.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(harness.AdminUrl) };

        var response = await http.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, harness.Asterisk.Stats.CallsPlaced);
    }

    [Fact]
    public async Task An_unknown_trunk_behaviour_is_refused()
    {
        await using var harness = await EngineHarness.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(harness.AdminUrl) };

        var response = await http.PutAsJsonAsync("/simulator/trunks/fire-almaty-1", new { behavior = "explode" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("behavior must be", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Breaking_a_trunk_the_routing_does_not_know_is_refused_naming_it_and_the_known_ones()
    {
        await using var harness = await EngineHarness.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(harness.AdminUrl) };

        var response = await http.PutAsJsonAsync("/simulator/trunks/police-almaty-9", new { behavior = "busy" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var message = await response.Content.ReadAsStringAsync();
        Assert.Contains("trunk 'police-almaty-9' is not in the routing configuration", message, StringComparison.Ordinal);
        Assert.Contains("known trunks: ", message, StringComparison.Ordinal);
        Assert.Contains("police-almaty-1, police-almaty-2", message, StringComparison.Ordinal);
        Assert.Contains("calltakers-1", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"behavior":"busy","afterMs":"soon"}""", "afterMs has the wrong type")]
    [InlineData("""{"behavior":"busy","afterMs":-5}""", "afterMs must be between 0 and 600000 (got -5)")]
    [InlineData("""{"behavior":"answer","hangUpAfterSeconds":-1}""", "hangUpAfterSeconds must be between 0 and 86400")]
    [InlineData("""{"afterMs":20}""", "behavior must be answer, busy, noanswer or fail (got '')")]
    [InlineData("busy", "body must be a JSON object such as")]
    [InlineData("", "body must be a JSON object such as")]
    public async Task A_bad_trunk_behaviour_body_is_refused_naming_the_field(string body, string message)
    {
        await using var harness = await EngineHarness.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(harness.AdminUrl) };

        var response = await http.PutAsync("/simulator/trunks/fire-almaty-1", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private sealed record PlacedCall(string ChannelId);
}
