using System.Net;
using System.Text.Json;
using Routing.Calls.Location;
using Routing.Simulator;

namespace Routing.Engine.Tests.Location;

/// <summary>Location by reference (RFC 6442) over loopback: a leg to a trunk that takes PIDF-LO carries a Geolocation
/// header whose URI the engine serves while the call lives, each fetch on the call's record; a wrong or spent token is
/// a 404 that is recorded too.</summary>
public sealed class LocationReferenceEndToEndTests
{
    private static Dictionary<string, string?> Settings(string grace) => new()
    {
        ["Routing:Regions:almaty:Trunks:police:0:TakesPidfLo"] = "true",
        ["LocationReference:BaseUrl"] = "http://112-location.test:8443/engine",
        ["LocationReference:AllowPlainHttp"] = "true",
        ["LocationReference:Grace"] = grace,
    };

    /// <summary>The variables of the engine's originate to <paramref name="endpoint"/>, as the simulator received them.</summary>
    private static Dictionary<string, string> OriginateVariables(EngineHarness harness, string endpoint)
    {
        var originate = harness.Asterisk.Requests.Last(r => r.Method == "POST" && r.Path.StartsWith("/ari/channels", StringComparison.Ordinal)
            && Uri.UnescapeDataString(r.Query).Contains("endpoint=" + endpoint, StringComparison.Ordinal));
        using var body = JsonDocument.Parse(originate.Body!);
        return body.RootElement.GetProperty("variables").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
    }

    private static async Task<List<string>> EventsAsync(EngineHarness harness, string callId)
    {
        await harness.LedgerCaughtUpAsync();
        var history = await harness.Engine.Ledger.GetCallAsync(callId, CancellationToken.None);
        return history!.Events.Select(e => $"{e.Event.Kind} {e.Event.Detail}").ToList();
    }

    [Fact]
    public async Task An_SOS_call_put_through_to_a_trunk_that_takes_PIDF_LO_refers_the_agency_to_its_location_which_the_engine_serves_and_records()
    {
        await using var harness = await EngineHarness.StartAsync(settings: Settings("00:00:00"));
        var call = await harness.Asterisk.PlaceCallAsync(new CallScript("+77270000101", "112", "SOS button", Context: "from-sos"), CancellationToken.None);
        await harness.WaitUntilAsync(() => call.BridgedWith == "police-almaty-1", "the SOS call to reach the Almaty police");
        var callId = harness.Engine.Calls.Active.Single(c => c.CallerChannelId == call.ChannelId).CallId;

        var variables = OriginateVariables(harness, "PJSIP/police-almaty-1");
        var header = variables["PJSIP_HEADER(add,Geolocation)"];
        Assert.Matches("^<http://112-location\\.test:8443/engine/location/ref/[A-Za-z0-9_-]{43}>$", header);
        Assert.Equal("no", variables["PJSIP_HEADER(add,Geolocation-Routing)"]);
        Assert.Equal("<geo:43.2389,76.9455;u=5>", variables["PJSIP_HEADER(add,X-Routing112-Location)"]);
        var path = new Uri(header.Trim('<', '>')).AbsolutePath["/engine".Length..];

        using var agency = new HttpClient { BaseAddress = new Uri(harness.AdminUrl) };
        agency.DefaultRequestHeaders.UserAgent.ParseAdd("AgencyPbx/1.0");
        var served = await agency.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("application/pidf+xml", served.Content.Headers.ContentType!.MediaType);
        Assert.Contains("no-store", served.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        var reading = PidfLoParser.Parse(await served.Content.ReadAsStringAsync(), DateTimeOffset.UtcNow);
        Assert.True(reading.Ok, reading.Error);
        Assert.Equal(new GeoPoint(43.2389, 76.9455), reading.Location!.Point);
        Assert.Equal(5, reading.Location.UncertaintyMeters);
        Assert.Equal("Almaty, Abay Ave 10, pole 17", reading.Location.CivicAddress);

        var wrong = await agency.GetAsync(path[..^4] + "AAAA");
        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);

        call.HangUp();
        await harness.WaitForOutcomeAsync(call.ChannelId);
        // Grace 0: the reference is spent once the call has ended. The outcome is on the ledger a moment before the
        // call completes (write before act), and the reference ends at completion: asked until it does, bounded.
        var ended = System.Diagnostics.Stopwatch.StartNew();
        HttpResponseMessage late;
        while ((late = await agency.GetAsync(path)).StatusCode == HttpStatusCode.OK && ended.Elapsed < EngineHarness.CallTimeout)
        {
            await Task.Delay(20);
        }

        Assert.Equal(HttpStatusCode.NotFound, late.StatusCode);

        var events = await EventsAsync(harness, callId);
        var issued = Assert.Single(events, e => e.StartsWith("location.reference ", StringComparison.Ordinal));
        Assert.Matches("^location.reference police-almaty-1: Geolocation by reference #[0-9a-f]{12}, Geolocation-Routing: no; serves circle 43.2389 76.9455 r=5 m$", issued);
        Assert.Contains(events, e => e.StartsWith("location.dereference #", StringComparison.Ordinal)
            && e.Contains("200 served sos-device circle 43.2389 76.9455 r=5 m with civic address; fetched by 127.0.0.1 (AgencyPbx/1.0)", StringComparison.Ordinal));
        Assert.Contains(events, e => e.StartsWith("location.dereference #", StringComparison.Ordinal)
            && e.Contains("404 refused: the call ended at", StringComparison.Ordinal) && e.Contains("LocationReference:Grace 00:00:00", StringComparison.Ordinal));
        Assert.True(events.IndexOf(issued) < events.FindIndex(e => e.StartsWith("leg.ringing", StringComparison.Ordinal) || e.StartsWith("leg.answered", StringComparison.Ordinal)),
            "the reference is on the record before the leg rings: " + string.Join(" | ", events));

        var probes = await harness.Engine.Ledger.ListEventsOfKindAsync("location.dereference.refused", CancellationToken.None);
        var probe = Assert.Single(probes);
        Assert.Equal("location-reference", probe.Event.CallId);
        Assert.Matches("^404 unknown token #[0-9a-f]{12} fetched by 127.0.0.1 \\(AgencyPbx/1.0\\)$", probe.Event.Detail);
        Assert.DoesNotContain("AAAA", probe.Event.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trunk_that_does_not_take_PIDF_LO_gets_no_reference_and_a_malformed_token_is_a_plain_404()
    {
        await using var harness = await EngineHarness.StartAsync(settings: Settings("00:02:00"));
        var call = await harness.Asterisk.PlaceCallAsync(new CallScript("+77170000201", "112", "SOS button", Context: "from-sos"), CancellationToken.None);
        await harness.WaitUntilAsync(() => call.BridgedWith == "police-astana-1", "the SOS call to reach the Astana police");
        call.HangUp();
        await harness.WaitForOutcomeAsync(call.ChannelId);
        var variables = OriginateVariables(harness, "PJSIP/police-astana-1");
        Assert.False(variables.ContainsKey("PJSIP_HEADER(add,Geolocation)"));
        Assert.True(variables.ContainsKey("PJSIP_HEADER(add,X-Routing112-Location)"));

        using var agency = new HttpClient { BaseAddress = new Uri(harness.AdminUrl) };
        Assert.Equal(HttpStatusCode.NotFound, (await agency.GetAsync("/location/ref/%3Cscript%3E")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agency.GetAsync("/location/ref/" + new string('a', 5000))).StatusCode);
    }
}
