using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Routing.Simulator;

namespace Routing.Engine.Tests;

/// <summary>In simulated mode a person can add call-takers' phones, register or unplug them and hang them up over the admin port.</summary>
public sealed class SimulatorCallTakerControlTests
{
    [Fact]
    public async Task A_phone_added_over_HTTP_registers_changes_behaviour_and_goes_offline_like_the_control_API()
    {
        await using var harness = await EngineHarness.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(harness.AdminUrl) };

        var created = await http.PutAsJsonAsync("/simulator/calltakers/calltaker-7", new { behavior = "answer", afterMs = 100 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var phone = harness.Asterisk.CallTakers["calltaker-7"];
        Assert.True(phone.IsOnline);

        var changed = await http.PutAsJsonAsync("/simulator/calltakers/calltaker-7", new { behavior = "busy", state = "unreachable" });
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        Assert.False(phone.IsOnline);
        Assert.Same(CallTakerBehavior.Busy, phone.Behavior);

        var listed = await http.GetFromJsonAsync<JsonElement>("/simulator/calltakers");
        var entry = listed.EnumerateArray().Single(e => e.GetProperty("endpoint").GetString() == "calltaker-7");
        Assert.False(entry.GetProperty("online").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsync("/simulator/calltakers/calltaker-7/hangup", null)).StatusCode);
    }

    [Theory]
    [InlineData("PUT", "/simulator/calltakers/calltaker-1", """{"behavior":"explode"}""", HttpStatusCode.BadRequest, "behavior must be answer, ignore or busy")]
    [InlineData("PUT", "/simulator/calltakers/calltaker-1", """{"state":"asleep"}""", HttpStatusCode.BadRequest, "state must be registered")]
    [InlineData("PUT", "/simulator/calltakers/calltaker-1", """{"afterMs":-5}""", HttpStatusCode.BadRequest, "afterMs must be between")]
    [InlineData("POST", "/simulator/calltakers/nobody/hangup", "", HttpStatusCode.NotFound, "no call-taker phone 'nobody'")]
    public async Task A_bad_request_is_refused_with_a_message_naming_the_field(string method, string path, string body, HttpStatusCode status, string message)
    {
        await using var harness = await EngineHarness.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(harness.AdminUrl) };

        var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        });

        Assert.Equal(status, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("calltaker-1", harness.Asterisk.CallTakers.Keys); // a refused PUT adds no phone
        Assert.DoesNotContain("nobody", harness.Asterisk.CallTakers.Keys);
    }
}
