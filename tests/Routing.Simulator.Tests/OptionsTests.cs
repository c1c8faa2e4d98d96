using Routing.Simulator.Tests.Support;

namespace Routing.Simulator.Tests;

/// <summary>Broken configuration is refused at start with a message that names the culprit; bad requests get clear ARI errors.</summary>
public sealed class OptionsTests
{
    [Theory]
    [InlineData("PJSIP/fire", "Trunks key 'PJSIP/fire'")]
    [InlineData("", "Trunks key ''")]
    public async Task A_trunk_key_with_technology_is_refused(string key, string message)
    {
        var options = new SimulatorOptions { Trunks = { [key] = TrunkBehavior.NoAnswer } };
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => SimulatedAsterisk.StartAsync(options, CancellationToken.None));
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public async Task A_dialplan_route_with_a_bad_fallback_names_its_extension()
    {
        var dialplan = DialplanOptions.Default;
        dialplan.Contexts["from-caller"]["112"] = new DialplanRoute("routing112", [], "PJSIP/police");
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => SimulatedAsterisk.StartAsync(new SimulatorOptions { Dialplan = dialplan }, CancellationToken.None));
        Assert.Contains("112@from-caller", ex.Message);
        Assert.Equal("police", DialplanOptions.Default.Contexts["from-caller"]["112"].FallbackEndpoint); // Default is a fresh copy
    }

    [Fact]
    public async Task Negative_delays_are_refused()
    {
        await using var sim = await Sims.StartAsync();
        Assert.Throws<ArgumentException>(() => sim.SetTrunk("fire", TrunkBehavior.Busy(TimeSpan.FromSeconds(-1))));
        await Assert.ThrowsAsync<ArgumentException>(() => sim.PlaceCallAsync(Sims.TestCaller(hangUpAfter: TimeSpan.FromSeconds(-1)), CancellationToken.None));
    }

    [Fact]
    public async Task Malformed_JSON_bodies_and_unknown_paths_get_ARI_errors_and_nothing_else_changes()
    {
        await using var sim = await Sims.StartAsync();
        using var ari = new AriClient(sim);

        var malformed = await ari.Post("/ari/channels?endpoint=PJSIP/fire&app=routing112", "{\"variables\": ");
        Assert.Equal(400, malformed.Status);
        Assert.StartsWith("Malformed JSON request body", malformed.Json.GetProperty("message").GetString());
        Assert.Equal(400, (await ari.Post("/ari/channels?endpoint=PJSIP/fire&app=routing112", "[1,2]")).Status);
        Assert.Equal(404, (await ari.Get("/ari/nothing/here")).Status);
        Assert.Equal(404, (await ari.Get("/not-ari")).Status);
        Assert.Equal(405, (await ari.SendAsync("PUT", "/ari/channels")).Status);
        Assert.Equal(400, (await ari.Post("/ari/channels?endpoint=PJSIP/fire&app=routing112&timeout=soon")).Status);

        Assert.Empty(sim.LiveChannelIds);
        Assert.Equal(0, sim.Stats.Originates);
        var recorded = sim.Requests;
        Assert.Equal(6, recorded.Count);
        Assert.Equal(("POST", "/ari/channels", "endpoint=PJSIP/fire&app=routing112", "{\"variables\": ", 400),
            (recorded[0].Method, recorded[0].Path, recorded[0].Query, recorded[0].Body, recorded[0].Status));
    }

    [Fact]
    public async Task The_recorded_query_never_holds_the_ARI_password()
    {
        await using var sim = await Sims.StartAsync();
        await using var events = await EventStream.ConnectAsync(sim);
        using var http = new HttpClient();
        await http.GetAsync(new Uri(sim.AriBaseUrl, "asterisk/info?api_key=routing:routing-secret"));

        Assert.All(sim.Requests, r => Assert.DoesNotContain("routing-secret", r.Query));
        Assert.Contains(sim.Requests, r => r is { Path: "/ari/asterisk/info", Status: 200 } && r.Query == "api_key=routing:<password>");
        Assert.Contains(sim.Requests, r => r is { Path: "/ari/events", Status: 101 });
    }
}
