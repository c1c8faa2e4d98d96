using Routing.Simulator.Tests.Support;

namespace Routing.Simulator.Tests;

/// <summary>The dialplan: which app and args a call arrives with, and what happens after the app's continue.</summary>
public sealed class DialplanTests
{
    [Fact]
    public async Task Dialling_101_and_continuing_gives_the_direct_continue_trace()
    {
        await using var sim = await Sims.StartAsync();
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);
        var call = await sim.PlaceCallAsync(Sims.TestCaller("101"), CancellationToken.None);
        var (start, _) = await events.UntilAsync("StasisStart");
        var statuses = new List<int>
        {
            (await ari.Post($"/ari/channels/{call.ChannelId}/answer")).Status,
            (await ari.Post($"/ari/channels/{call.ChannelId}/continue")).Status,
        };
        await events.UntilAsync("StasisEnd");
        var end = await Wait.ForAsync(call.Ended);
        statuses.Add((await ari.Get($"/ari/channels/{call.ChannelId}")).Status);

        var trace = Traces.JsonLines("ari-call-101-direct-continue.events.jsonl");
        Assert.Equal(trace.Select(Json.Type), events.All.Select(f => Json.Type(System.Text.Json.JsonDocument.Parse(f).RootElement)));
        Assert.Equal(trace[0].GetProperty("channel").GetProperty("dialplan").GetRawText(), start.GetProperty("channel").GetProperty("dialplan").GetRawText());
        Assert.Equal(trace[0].GetProperty("args").GetRawText(), start.GetProperty("args").GetRawText());
        var traceRest = Traces.JsonLines("ari-call-101-direct-continue.rest.jsonl").Where(r => !r.TryGetProperty("websocket", out _));
        Assert.Equal(traceRest.Select(r => r.GetProperty("status").GetInt32()), statuses);
        Assert.Equal(new CallEnd("dialplan", 16, true, null, null), end);
    }

    [Theory]
    [InlineData("from-caller", "112", """["112"]""", "routing112,112")]
    [InlineData("from-caller", "101", """["direct","fire"]""", "routing112,direct,fire")]
    [InlineData("from-caller", "104", """["direct","gas"]""", "routing112,direct,gas")]
    [InlineData("from-caller", "7", """["112"]""", "routing112,112")]
    [InlineData("from-caller", "*", """["112"]""", "routing112,112")]
    [InlineData("from-sos", "pole-17", """["sos"]""", "routing112,sos")]
    [InlineData("from-app", "112", """["app"]""", "routing112,app")]
    public async Task The_default_dialplan_is_the_engines_contract(string context, string exten, string args, string appData)
    {
        await using var sim = await SimulatedAsterisk.StartAsync(new SimulatorOptions(), CancellationToken.None);
        await using var events = await EventStream.ConnectAsync(sim);
        await sim.PlaceCallAsync(new CallScript("+77011234567", exten, Context: context), CancellationToken.None);

        var (start, _) = await events.UntilAsync("StasisStart");
        Assert.Equal(args, start.GetProperty("args").GetRawText());
        var dialplan = start.GetProperty("channel").GetProperty("dialplan");
        Assert.Equal(appData, dialplan.GetProperty("app_data").GetString());
        Assert.Equal(context, dialplan.GetProperty("context").GetString());
        Assert.Equal(exten, dialplan.GetProperty("exten").GetString());
        Assert.Equal(2, dialplan.GetProperty("priority").GetInt32());
    }

    [Theory]
    [InlineData("fire-almaty-1", null, "fire-almaty-1")]
    [InlineData("PJSIP/fire-almaty-1", "police", "fire-almaty-1")]
    [InlineData(null, "ambulance", "ambulance")]
    [InlineData(null, null, "police")]
    public async Task Continue_with_failover_dials_the_region_endpoint_else_the_agency_else_the_extension_default(string? endpoint, string? agency, string dialled)
    {
        await using var sim = await Sims.StartAsync(o => o.Trunks["fire-almaty-1"] = TrunkBehavior.Answers(TimeSpan.FromMilliseconds(10)));
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);
        var call = await sim.PlaceCallAsync(Sims.TestCaller(), CancellationToken.None);
        await events.UntilAsync("StasisStart");
        string id = call.ChannelId;
        await ari.Post($"/ari/channels/{id}/answer");
        Assert.Equal(204, (await ari.Post($"/ari/channels/{id}/variable?variable=ROUTING112_FAILOVER&value=1")).Status);
        if (endpoint is not null) await ari.Post($"/ari/channels/{id}/variable?variable=ROUTING112_FALLBACK_ENDPOINT&value={Uri.EscapeDataString(endpoint)}");
        if (agency is not null) await ari.Post($"/ari/channels/{id}/variable?variable=ROUTING112_AGENCY&value={agency}");

        Assert.Equal(204, (await ari.Post($"/ari/channels/{id}/continue")).Status);
        await events.UntilAsync("StasisEnd");
        await Wait.UntilAsync(() => call.BridgedWith == dialled, $"the fallback to {dialled} answered");
        call.HangUp();
        var end = await Wait.ForAsync(call.Ended);

        Assert.Equal(new CallEnd("caller", 16, true, dialled, dialled), end);
        Assert.True(await events.NothingForAsync(TimeSpan.FromMilliseconds(100))); // the app no longer watches the caller
    }

    [Fact]
    public async Task An_extension_the_dialplan_does_not_know_is_hung_up_at_once()
    {
        await using var sim = await Sims.StartAsync();
        var call = await sim.PlaceCallAsync(Sims.TestCaller("999"), CancellationToken.None);
        var end = await Wait.ForAsync(call.Ended);
        Assert.Equal(new CallEnd("dialplan", 1, false, null, null), end);
        Assert.Contains(call.Timeline, l => l.Contains("no dialplan route for 999@from-caller"));
    }

    [Fact]
    public async Task A_fallback_to_an_endpoint_that_does_not_exist_fails_with_CHANUNAVAIL()
    {
        await using var sim = await Sims.StartAsync(o => o.Trunks.Remove("police"));
        await using var ami = await AmiClient.ConnectAsync(sim);
        var call = await sim.PlaceCallAsync(Sims.TestCaller(), CancellationToken.None);
        var end = await Wait.ForAsync(call.Ended);
        Assert.Equal("dialplan", end.HungUpBy);
        Assert.Equal("police", end.FallbackEndpoint);
        await ami.WaitForMessageAsync(m => m.Contains("Variable: DIALSTATUS\r\nValue: CHANUNAVAIL"), "CHANUNAVAIL on AMI");
    }
}
