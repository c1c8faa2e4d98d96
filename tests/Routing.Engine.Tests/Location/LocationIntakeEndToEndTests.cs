using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Routing.Simulator;

namespace Routing.Engine.Tests.Location;

/// <summary>Locations from outside a call's signalling, over loopback: the AML endpoint (HTTPS form and SMS), the SBC's
/// PIDF-LO hand-over with the recorded bodies, and the caller's Geolocation header read over ARI.</summary>
public sealed class LocationIntakeEndToEndTests
{
    private const string Token = "test-token-0123456789-abcdef";

    private static readonly Dictionary<string, string?> Enabled = new()
    {
        ["LocationIntake:Enabled"] = "true",
        ["LocationIntake:Token"] = Token,
    };

    private static IReadOnlyList<DtmfStep> Digits(params char[] digits) => digits.Select(d => new DtmfStep(d, TimeSpan.FromMilliseconds(150))).ToList();

    private static HttpClient Client(EngineHarness harness, string? token = Token)
    {
        var http = new HttpClient { BaseAddress = new Uri(harness.AdminUrl) };
        if (token is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static string AmlForm(string number, double lat, double lon, double accuracy, DateTimeOffset at) =>
        string.Create(CultureInfo.InvariantCulture,
            $"v=3&device_number={Uri.EscapeDataString(number)}&location_latitude={lat}&location_longitude={lon}&location_accuracy={accuracy}&location_time={at.ToUnixTimeMilliseconds()}&location_source=gps&device_imei=356938035643809");

    private static Task<HttpResponseMessage> PostAml(HttpClient http, string form) =>
        http.PostAsync("/location/aml", new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"));

    private static async Task<JsonElement> Json(HttpResponseMessage response) => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task An_AML_message_that_overtakes_its_call_is_held_and_routes_the_Almaty_mobile_calling_from_Astana_to_Astana()
    {
        await using var harness = await EngineHarness.StartAsync(settings: Enabled);
        using var http = Client(harness);

        var response = await PostAml(http, AmlForm("+77271234567", 51.1694, 71.4491, 15, DateTimeOffset.UtcNow));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await Json(response);
        Assert.Equal("held", body.GetProperty("status").GetString());
        Assert.StartsWith("no live or recent call from a number ending 7271234567; held 00:00:30", body.GetProperty("reason").GetString());

        var (call, end) = await harness.CallAsync(new CallScript("+77271234567", "112", Dtmf: Digits('3', '2'), TalkFor: TimeSpan.FromSeconds(1)));
        var record = await harness.WaitForOutcomeAsync(call.ChannelId);
        // The region is what the location decides; which agency the menu gives is the IVR's business.
        Assert.True(end.BridgedWith?.EndsWith("-astana-1", StringComparison.Ordinal) == true, record.ToString());
        Assert.Contains(record.Events, e => e.Contains(" location source=aml;", StringComparison.Ordinal) && e.Contains("raw=v=3&device_number=", StringComparison.Ordinal));
        Assert.Contains(record.Events, e => e.Contains(" location.region almaty -> astana: Aml location 51.1694 71.4491 is inside region astana's area", StringComparison.Ordinal));
        var leg = Assert.Single(record.Legs);
        Assert.Equal("astana", leg.Region);
    }

    [Fact]
    public async Task AML_for_a_live_call_is_recorded_on_it_and_stale_unknown_malformed_oversized_and_unauthorised_ones_are_refused_with_their_reason()
    {
        await using var harness = await EngineHarness.StartAsync(settings: Enabled);
        using var http = Client(harness);
        var call = await harness.Asterisk.PlaceCallAsync(new CallScript("+77011112233", "112"), CancellationToken.None);
        await harness.WaitUntilAsync(() => harness.Engine.Calls.Active.Any(c => c.CallerChannelId == call.ChannelId), "the call to reach the engine");
        var callId = harness.Engine.Calls.Active.Single(c => c.CallerChannelId == call.ChannelId).CallId;

        var live = await PostAml(http, AmlForm("87011112233", 43.2389, 76.9455, 8, DateTimeOffset.UtcNow));
        Assert.Equal(HttpStatusCode.Accepted, live.StatusCode);
        var liveBody = await Json(live);
        Assert.Equal("recorded", liveBody.GetProperty("status").GetString());
        Assert.Equal(callId, liveBody.GetProperty("callId").GetString());

        var stale = await PostAml(http, AmlForm("+77011112233", 43.2389, 76.9455, 8, DateTimeOffset.UtcNow.AddMinutes(-30)));
        Assert.Equal((HttpStatusCode)422, stale.StatusCode);
        Assert.StartsWith("stale: the fix is", (await Json(stale)).GetProperty("message").GetString());

        var unknown = await PostAml(http, AmlForm("+77779998877", 43.2389, 76.9455, 8, DateTimeOffset.UtcNow));
        Assert.Equal(HttpStatusCode.Accepted, unknown.StatusCode);
        Assert.Equal("held", (await Json(unknown)).GetProperty("status").GetString());

        var nan = await PostAml(http, "device_number=%2B77011112233&location_latitude=NaN&location_longitude=71.4");
        Assert.Equal(HttpStatusCode.BadRequest, nan.StatusCode);
        Assert.Equal("AML HTTPS: location_latitude 'NaN' is not a number", (await Json(nan)).GetProperty("message").GetString());

        var broken = await PostAml(http, "device_number=%2B77011112233&location_latitude=%ZZ");
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);

        var huge = await PostAml(http, "device_number=%2B77011112233&pad=" + new string('x', 10_000));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Contains("LocationIntake:MaxAmlBytes 4096", (await Json(huge)).GetProperty("message").GetString());

        using var anonymous = Client(harness, token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAml(anonymous, AmlForm("+77011112233", 43.2, 76.9, 8, DateTimeOffset.UtcNow))).StatusCode);
        using var wrong = Client(harness, token: "wrong-token-0123456789-abcdef");
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAml(wrong, AmlForm("+77011112233", 43.2, 76.9, 8, DateTimeOffset.UtcNow))).StatusCode);

        call.HangUp();
        await call.Ended.WaitAsync(EngineHarness.CallTimeout);
        var record = await harness.WaitForOutcomeAsync(call.ChannelId);
        Assert.Single(record.Events, e => e.Contains(" location source=aml;", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_AML_SMS_form_from_a_gateway_is_recorded_and_a_malformed_one_goes_on_the_callers_record_as_rejected()
    {
        await using var harness = await EngineHarness.StartAsync(settings: Enabled);
        using var http = Client(harness);
        var call = await harness.Asterisk.PlaceCallAsync(new CallScript("+77011112244", "112"), CancellationToken.None);
        await harness.WaitUntilAsync(() => harness.Engine.Calls.Active.Any(c => c.CallerChannelId == call.ChannelId), "the call to reach the engine");
        var callId = harness.Engine.Calls.Active.Single(c => c.CallerChannelId == call.ChannelId).CallId;

        var top = DateTimeOffset.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var sms = await http.PostAsync("/location/aml/sms", JsonContent(new { from = "+77011112244", text = $"A\"ML=1;lt=+43.23890;lg=+076.94550;rd=20;top={top};lc=90;pm=G;si=001;ei=356938035643809;mcc=401;mnc=01;ml=128" }));
        Assert.Equal(HttpStatusCode.Accepted, sms.StatusCode);
        var bad = await http.PostAsync("/location/aml/sms", JsonContent(new { from = "+77011112244", text = "A\"ML=1;lt=999;lg=+076.9" }));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("AML SMS: latitude 999 is outside -90..90", (await Json(bad)).GetProperty("message").GetString());
        var notJson = await http.PostAsync("/location/aml/sms", new StringContent("{\"from\":", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);

        Assert.Equal(callId, (await Json(sms)).GetProperty("callId").GetString());
        call.HangUp();
        await call.Ended.WaitAsync(EngineHarness.CallTimeout);
        var record = await harness.WaitForOutcomeAsync(call.ChannelId);
        Assert.Contains(record.Events, e => e.Contains(" location source=aml;", StringComparison.Ordinal) && e.Contains("accuracy=20 m", StringComparison.Ordinal) && e.Contains("method=GNSS", StringComparison.Ordinal));
        Assert.Contains(record.Events, e => e.Contains(" location.rejected aml: AML SMS: latitude 999 is outside -90..90", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_recorded_malformed_PIDF_LO_that_crashes_Asterisk_is_refused_with_its_reason_and_the_call_is_still_routed_by_its_number()
    {
        await using var harness = await EngineHarness.StartAsync(settings: Enabled);
        using var http = Client(harness);
        // The SBC hands the body over as the INVITE passes, before the call reaches the engine: held, then given to it.
        var response = await HandOver(http, RecordedGeoInvite.Malformed, "+77271230000");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var reason = (await Json(response)).GetProperty("message").GetString();
        Assert.StartsWith("PIDF-LO: not well-formed XML at line", reason);
        var call = await harness.Asterisk.PlaceCallAsync(new CallScript("+77271230000", "112", Dtmf: Digits('3', '2'), TalkFor: TimeSpan.FromSeconds(1)), CancellationToken.None);

        var end = await call.Ended.WaitAsync(EngineHarness.CallTimeout);
        var record = await harness.WaitForOutcomeAsync(call.ChannelId);
        Assert.True(end.BridgedWith == "police-almaty-1", record.ToString());
        Assert.Contains(record.Events, e => e.Contains(" location.rejected sip-pidf: PIDF-LO: not well-formed XML", StringComparison.Ordinal) && e.EndsWith("routed by number (region almaty)", StringComparison.Ordinal));
        Assert.DoesNotContain("location", record.EventKinds);
        Assert.Equal("Completed", record.Outcome);
    }

    [Fact]
    public async Task The_recorded_valid_PIDF_LO_handed_over_by_the_SBC_routes_the_call_to_the_region_it_is_in()
    {
        await using var harness = await EngineHarness.StartAsync(settings: Enabled);
        using var http = Client(harness);
        var response = await HandOver(http, RecordedGeoInvite.Valid, "+77271230001");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var call = await harness.Asterisk.PlaceCallAsync(new CallScript("+77271230001", "112", Dtmf: Digits('3', '2'), TalkFor: TimeSpan.FromSeconds(1)), CancellationToken.None);

        var end = await call.Ended.WaitAsync(EngineHarness.CallTimeout);
        var record = await harness.WaitForOutcomeAsync(call.ChannelId);
        Assert.True(end.BridgedWith == "police-astana-1", record.ToString());
        Assert.Contains(record.Events, e => e.Contains(" location source=sip-pidf;", StringComparison.Ordinal) && e.Contains("shape=point 51.1694 71.4491", StringComparison.Ordinal) && e.Contains("method=GPS", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_by_reference_Geolocation_header_is_read_over_ARI_and_fetched_from_an_allowed_host_and_a_by_value_one_is_noted()
    {
        var (_, body) = RecordedGeoInvite.Read(RecordedGeoInvite.Valid);
        var pidf = RecordedGeoInvite.Fresh(body[body.IndexOf("<?xml", StringComparison.Ordinal)..body.LastIndexOf("--boundary112", StringComparison.Ordinal)].TrimEnd());
        await using var server = await OneDocumentServer.StartAsync(pidf);
        var settings = new Dictionary<string, string?>(Enabled)
        {
            ["LocationIntake:FetchAllowedHosts:0"] = "127.0.0.1",
            ["LocationIntake:AllowPlainHttpFetch"] = "true",
            // The service digit is pressed once the location is on the call; the menu waits long enough for that.
            ["Routing:Timers:MenuDigit"] = "00:00:15",
            // A busy test machine must not turn a slow loopback fetch into a refusal.
            ["LocationIntake:FetchTimeout"] = "00:00:10",
        };
        await using var harness = await EngineHarness.StartAsync(settings: settings);

        var byReference = new Dictionary<string, string> { ["Geolocation"] = $"<{server.Url}>", ["Geolocation-Routing"] = "yes" };
        var call = await harness.Asterisk.PlaceCallAsync(new CallScript("+77271230002", "112", TalkFor: TimeSpan.FromSeconds(1), SipHeaders: byReference), CancellationToken.None);
        await harness.WaitUntilAsync(() => harness.Engine.Calls.Active.Any(c => c.CallerChannelId == call.ChannelId && c.Snapshot.Location is not null), "the fetched location to reach the call", TimeSpan.FromSeconds(40));
        call.SendDtmf('3');
        await harness.WaitUntilAsync(() => harness.Engine.Calls.Active.Any(c => c.CallerChannelId == call.ChannelId && c.Snapshot.Language == "en"), "English to be chosen", TimeSpan.FromSeconds(40));
        call.SendDtmf('2');
        var end = await call.Ended.WaitAsync(EngineHarness.CallTimeout);
        var record = await harness.WaitForOutcomeAsync(call.ChannelId);
        Assert.True(end.BridgedWith == "police-astana-1", record.ToString());
        Assert.Contains(record.Events, e => e.Contains(" location source=sip-pidf;", StringComparison.Ordinal));

        var refused = new Dictionary<string, string> { ["Geolocation"] = "<https://attacker.example/loc.xml>" };
        var other = await harness.Asterisk.PlaceCallAsync(new CallScript("+77271230003", "112", SipHeaders: refused), CancellationToken.None);
        await WaitForEventAsync(harness, other.ChannelId, "location.rejected");
        other.HangUp();
        var otherRecord = await harness.WaitForOutcomeAsync(other.ChannelId);
        Assert.Contains(otherRecord.Events, e => e.Contains("location.rejected sip-pidf: Geolocation <https://attacker.example/loc.xml> not fetched: host attacker.example is not in LocationIntake:FetchAllowedHosts", StringComparison.Ordinal));

        var byValue = new Dictionary<string, string> { ["Geolocation"] = "<cid:geocaller-loc-1@127.0.0.1>" };
        var third = await harness.Asterisk.PlaceCallAsync(new CallScript("+77271230004", "112", SipHeaders: byValue), CancellationToken.None);
        await WaitForEventAsync(harness, third.ChannelId, "location.note");
        third.HangUp();
        var thirdRecord = await harness.WaitForOutcomeAsync(third.ChannelId);
        Assert.Contains(thirdRecord.Events, e => e.Contains("location.note Geolocation <cid:geocaller-loc-1@127.0.0.1>: PIDF-LO by value", StringComparison.Ordinal));
        Assert.Equal(1, server.Requests);
        Assert.DoesNotContain(harness.Asterisk.Requests, r => r.Query.Contains("GEOLOC_PROFILE", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Disabled_intake_answers_404_and_an_enabled_one_needs_a_long_token()
    {
        await using var harness = await EngineHarness.StartAsync();
        using var http = Client(harness);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAml(http, "device_number=1")).StatusCode);

        var errors = new Engine.Location.LocationIntakeOptions { Enabled = true, Token = "short", FetchAllowedHosts = ["ok.example", "bad host/"] }.Validate().ToList();
        Assert.Contains(errors, e => e.StartsWith("LocationIntake:Token must be at least 24 characters", StringComparison.Ordinal));
        Assert.Contains("LocationIntake:FetchAllowedHosts:1 'bad host/' is not a host name", errors);
        Assert.Empty(new Engine.Location.LocationIntakeOptions().Validate());
    }

    /// <summary>Waits until the live call of that caller channel has an event of <paramref name="kind"/> on its record.</summary>
    private static Task WaitForEventAsync(EngineHarness harness, string callerChannelId, string kind) =>
        harness.WaitUntilAsync(async () =>
        {
            var calls = await harness.Engine.Ledger.FindByCallerChannelAsync(callerChannelId, CancellationToken.None);
            return calls.Count > 0 && (await harness.Engine.Ledger.GetCallAsync(calls[0].Call.CallId, CancellationToken.None)) is { } history
                && history.Events.Any(e => e.Event.Kind == kind);
        }, $"a {kind} event on the record of caller channel {callerChannelId}", TimeSpan.FromSeconds(40));

    private static Task<HttpResponseMessage> HandOver(HttpClient http, string file, string callerNumber)
    {
        var (headers, body) = RecordedGeoInvite.Read(file);
        body = RecordedGeoInvite.Fresh(body);
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(headers["Content-Type"]);
        var request = new HttpRequestMessage(HttpMethod.Post, "/location/pidf") { Content = content };
        request.Headers.Add("X-Caller-Number", callerNumber);
        request.Headers.Add("X-Geolocation", headers["Geolocation"]);
        request.Headers.Add("Geolocation-Routing", headers["Geolocation-Routing"]);
        return http.SendAsync(request);
    }

    private static StringContent JsonContent(object value) => new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");

    /// <summary>A location server on loopback that serves one PIDF-LO document to any GET.</summary>
    private sealed class OneDocumentServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly string _document;
        private Task _loop = Task.CompletedTask;
        private int _requests;

        private OneDocumentServer(string document) => _document = document;

        public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/loc/geocaller.xml";

        public int Requests => Volatile.Read(ref _requests);

        public static Task<OneDocumentServer> StartAsync(string document)
        {
            var server = new OneDocumentServer(document);
            server._listener.Start();
            server._loop = server.ServeAsync();
            return Task.FromResult(server);
        }

        private async Task ServeAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                using (client)
                {
                    var stream = client.GetStream();
                    var buffer = new byte[4096];
                    var seen = new StringBuilder();
                    while (!seen.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                    {
                        var n = await stream.ReadAsync(buffer, _stop.Token);
                        if (n == 0) break;
                        seen.Append(Encoding.ASCII.GetString(buffer, 0, n));
                    }

                    Interlocked.Increment(ref _requests);
                    var payload = Encoding.UTF8.GetBytes(_document);
                    var head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/pidf+xml\r\nContent-Length: {payload.Length}\r\nConnection: close\r\n\r\n");
                    await stream.WriteAsync(head, _stop.Token);
                    await stream.WriteAsync(payload, _stop.Token);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _loop.ConfigureAwait(false);
            _stop.Dispose();
        }
    }
}
