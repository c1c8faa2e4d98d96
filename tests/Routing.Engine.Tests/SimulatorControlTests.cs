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
        var placed = await http.PostAsJsonAsync("/simulator/calls", new { callerNumber = "+77171234567", dialed = "112", digits = "33", digitGapMs = 150, hangUpAfterSeconds = 3 });

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

    private sealed record PlacedCall(string ChannelId);
}
