using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Routing.Simulator;

namespace Routing.Engine.Tests;

/// <summary>A lost caller becomes a callback task on the admin API; its transitions are refused or
/// recorded as the task's state allows.</summary>
public sealed class CallbackApiTests
{
    [Fact]
    public async Task A_caller_who_hung_up_in_the_menu_becomes_an_open_task_that_a_call_taker_attempts_reaches_and_closes()
    {
        await using var harness = await EngineHarness.StartAsync(settings: new Dictionary<string, string?> { ["Callbacks:PollInterval"] = "00:00:00.200" });
        using var http = new HttpClient { BaseAddress = new Uri(harness.AdminUrl) };
        // The operator API answers only a known operator; a supervisor works the callback list.
        http.DefaultRequestHeaders.Add("X-Operator", "supervisor-on-duty");
        http.DefaultRequestHeaders.Add("X-Operator-Role", "supervisor");
        var (call, _) = await harness.CallAsync(new CallScript("+77271234500", "112", HangUpAfter: TimeSpan.FromMilliseconds(150)));
        Assert.Equal("AbandonedInIvr", (await harness.WaitForOutcomeAsync(call.ChannelId)).Outcome);
        var callId = (await harness.Engine.Ledger.FindByCallerChannelAsync(call.ChannelId, CancellationToken.None))[0].Call.CallId;

        var open = await http.GetFromJsonAsync<JsonElement>("/api/callbacks");
        var task = Assert.Single(open.EnumerateArray());
        Assert.Equal((callId, "+77271234500", "open", 0), (task.GetProperty("callId").GetString(), task.GetProperty("callerNumber").GetString(), task.GetProperty("state").GetString(), task.GetProperty("attempts").GetInt32()));

        var tooEarly = await http.PostAsJsonAsync($"/api/callbacks/{callId}/reached", new { by = "taker-7", note = "" });
        Assert.Equal(HttpStatusCode.Conflict, tooEarly.StatusCode);
        Assert.Contains("no attempt on record", await tooEarly.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync($"/api/callbacks/{callId}/attempts", new { note = "nobody" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsJsonAsync("/api/callbacks/no-such-call/attempts", new { by = "taker-7" })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync($"/api/callbacks/{callId}/attempts", new { by = "taker-7", note = "no answer" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync($"/api/callbacks/{callId}/reached", new { by = "taker-7", note = "caller safe" })).StatusCode);
        var closed = await http.PostAsJsonAsync($"/api/callbacks/{callId}/close", new { by = "taker-7", note = "pocket dial, no emergency" });
        Assert.Equal("closed", (await closed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());

        Assert.Empty((await http.GetFromJsonAsync<JsonElement>("/api/callbacks")).EnumerateArray());
        var all = Assert.Single((await http.GetFromJsonAsync<JsonElement>("/api/callbacks?state=all")).EnumerateArray());
        Assert.Equal("by taker-7: pocket dial, no emergency", all.GetProperty("closedReason").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await http.PostAsJsonAsync($"/api/callbacks/{callId}/attempts", new { by = "taker-7" })).StatusCode);

        // Every transition is a ledger event of the call, in order: nothing was updated.
        await harness.LedgerCaughtUpAsync();
        var kinds = (await harness.Engine.Ledger.GetCallAsync(callId, CancellationToken.None))!.Events.Select(e => e.Event.Kind).Where(k => k.StartsWith("callback.", StringComparison.Ordinal));
        Assert.Equal(["callback.required", "callback.attempted", "callback.reached", "callback.closed"], kinds);
        var metrics = await http.GetStringAsync("/metrics");
        Assert.Contains("routing_callbacks_overdue", metrics);
        Assert.Contains("routing_ledger_spool_full", metrics);
    }

    [Fact]
    public async Task Auto_attempt_without_a_wired_dialer_stops_the_engine_at_start_naming_the_key()
    {
        var error = await Assert.ThrowsAsync<Hosting.ConfigurationException>(() =>
            EngineHarness.StartAsync(settings: new Dictionary<string, string?> { ["Callbacks:AutoAttempt"] = "true" }));

        Assert.Contains(error.Errors, e => e.StartsWith("Callbacks:AutoAttempt", StringComparison.Ordinal));
    }
}
