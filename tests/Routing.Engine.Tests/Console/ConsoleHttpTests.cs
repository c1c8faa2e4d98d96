using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Routing.Engine.SignIn;
using Routing.Simulator;

namespace Routing.Engine.Tests.Console;

/// <summary>
/// The console over HTTP, as a browser meets it: static files from the engine itself, sign-in with a
/// session cookie that is the only way in once users are configured, and the wallboard, history and
/// recording routes the console adds to the operator API.
/// </summary>
public sealed partial class ConsoleHttpTests
{
    public const string Password = "112-test";

    /// <summary>Sign-in on (a call-taker and a supervisor), centre on; what a console test needs.</summary>
    public static Dictionary<string, string?> SignInSettings(int maxFailures = 5)
    {
        var hash = PasswordHash.Create(Password, PasswordHash.MinIterations);
        return new Dictionary<string, string?>
        {
            ["SignIn:Users:aigerim:Role"] = "calltaker",
            ["SignIn:Users:aigerim:PasswordHash"] = hash,
            ["SignIn:Users:boss:Role"] = "supervisor",
            ["SignIn:Users:boss:PasswordHash"] = hash,
            ["SignIn:MaxFailures"] = maxFailures.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    private static (HttpClient Http, CookieContainer Cookies) Browser(EngineHarness harness)
    {
        var cookies = new CookieContainer();
        var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(harness.AdminUrl), Timeout = EngineHarness.CallTimeout };
        return (http, cookies);
    }

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient http, string user, string password) =>
        await http.PostAsJsonAsync("/console/signin", new { user, password });

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    [Fact]
    public async Task The_console_is_served_by_the_engine_with_a_policy_that_allows_only_its_own_origin()
    {
        await using var harness = await EngineHarness.StartAsync(settings: SignInSettings());
        var (http, _) = Browser(harness);
        using var _http = http;

        using var root = await http.GetAsync("/console");
        Assert.Equal("text/html", root.Content.Headers.ContentType?.MediaType);
        using var page = await http.GetAsync("/console/");
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("console.js", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        using var script = await http.GetAsync("/console/console.js");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        using var missing = await http.GetAsync("/console/nothing.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var settings = await JsonAsync(await http.GetAsync("/console/settings"));
        Assert.True(settings.GetProperty("signIn").GetBoolean());
        Assert.Contains("police", settings.GetProperty("agencies").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public async Task Every_text_of_the_console_exists_in_Kazakh_Russian_and_English()
    {
        await using var harness = await EngineHarness.StartAsync(settings: SignInSettings());
        var (http, _) = Browser(harness);
        using var _http = http;
        var script = await http.GetStringAsync("/console/i18n.js");

        var languages = LanguageBlock().Matches(script).ToDictionary(m => m.Groups[1].Value, m => Key().Matches(m.Groups[2].Value).Select(k => k.Groups[1].Value).ToHashSet());

        Assert.Equal(["en", "kk", "ru"], languages.Keys.Order());
        Assert.True(languages["en"].Count > 100, $"{languages["en"].Count} English texts");
        foreach (var language in new[] { "ru", "kk" })
        {
            Assert.Empty(languages["en"].Except(languages[language]));
            Assert.Empty(languages[language].Except(languages["en"]));
        }
    }

    [Fact]
    public async Task With_sign_in_configured_only_a_session_identifies_an_operator_and_the_header_identity_is_off()
    {
        await using var harness = await EngineHarness.StartAsync(settings: SignInSettings());
        var (http, cookies) = Browser(harness);
        using var _http = http;

        using var anonymous = await http.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var header = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        header.Headers.Add("X-Operator", "boss");
        header.Headers.Add("X-Operator-Role", "supervisor");
        using var forged = await http.SendAsync(header);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal("unauthenticated", (await JsonAsync(forged)).GetProperty("code").GetString());

        using var wrong = await SignInAsync(http, "aigerim", "nope");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("user or password is wrong", (await JsonAsync(wrong)).GetProperty("message").GetString());

        using var signedIn = await SignInAsync(http, "aigerim", Password);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        var setCookie = signedIn.Headers.GetValues("Set-Cookie").Single();
        Assert.StartsWith(ConsoleSignInMiddleware.CookieName + "=", setCookie, StringComparison.Ordinal);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", setCookie, StringComparison.OrdinalIgnoreCase); // plain http on loopback

        var me = await JsonAsync(await http.GetAsync("/api/me"));
        Assert.Equal("aigerim", me.GetProperty("user").GetString());
        Assert.Equal("calltaker", me.GetProperty("role").GetString());

        using var signedOut = await http.PostAsync("/console/signout", null);
        Assert.Equal(HttpStatusCode.NoContent, signedOut.StatusCode);
        using var after = await http.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.DoesNotContain(cookies.GetCookies(new Uri(harness.AdminUrl)), c => !c.Expired && c.Value.Length > 0);
    }

    [Fact]
    public async Task Repeated_failed_sign_ins_are_refused_with_429_and_a_retry_time()
    {
        await using var harness = await EngineHarness.StartAsync(settings: SignInSettings(maxFailures: 2));
        var (http, _) = Browser(harness);
        using var _http = http;

        (await SignInAsync(http, "boss", "a")).Dispose();
        using var locked = await SignInAsync(http, "boss", "b");
        using var evenRight = await SignInAsync(http, "boss", Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, evenRight.StatusCode);
        Assert.NotNull(evenRight.Headers.RetryAfter);
        Assert.Contains("too many failed sign-ins", (await JsonAsync(evenRight)).GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_wallboard_and_history_are_a_supervisors_and_find_an_abandoned_call_by_number_with_its_story()
    {
        await using var harness = await EngineHarness.StartAsync(settings: SignInSettings());
        var (call, _) = await harness.CallAsync(new CallScript("+77019998877", "112", HangUpAfter: TimeSpan.FromMilliseconds(300)));
        var record = await harness.WaitForOutcomeAsync(call.ChannelId);
        var (taker, _) = Browser(harness);
        var (boss, _) = Browser(harness);
        using var _taker = taker;
        using var _boss = boss;
        (await SignInAsync(taker, "aigerim", Password)).EnsureSuccessStatusCode();
        (await SignInAsync(boss, "boss", Password)).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Forbidden, (await taker.GetAsync("/api/wallboard")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await taker.GetAsync("/api/history?number=9988")).StatusCode);

        var wallboard = await JsonAsync(await boss.GetAsync("/api/wallboard"));
        Assert.Equal(["15m", "1h", "shift"], wallboard.GetProperty("serviceLevels").EnumerateArray().Select(l => l.GetProperty("window").GetString()));
        Assert.Equal(60, wallboard.GetProperty("minutes").GetArrayLength());
        Assert.Contains(wallboard.GetProperty("minutes").EnumerateArray(), m => m.GetProperty("calls").GetInt32() >= 1);
        var abandoned = Assert.Single(wallboard.GetProperty("abandoned").EnumerateArray());
        Assert.Equal("open", abandoned.GetProperty("callback").GetString());

        // The status follows the task: an attempt on record shows as attempted (it stayed "required" before,
        // as the board looked for event kinds the ledger never had).
        var lostId = abandoned.GetProperty("callId").GetString();
        (await boss.PostAsJsonAsync($"/api/callbacks/{lostId}/attempts", new { by = "boss", note = "no answer" })).EnsureSuccessStatusCode();
        var after = Assert.Single((await JsonAsync(await boss.GetAsync("/api/wallboard"))).GetProperty("abandoned").EnumerateArray());
        Assert.Equal(("attempted", 1), (after.GetProperty("callback").GetString(), after.GetProperty("attempts").GetInt32()));

        var found = await JsonAsync(await boss.GetAsync($"/api/history?number=9988&outcome={record.Outcome}"));
        var hit = Assert.Single(found.EnumerateArray());
        Assert.Equal("+77019998877", hit.GetProperty("callerNumber").GetString());
        Assert.Empty((await JsonAsync(await boss.GetAsync("/api/history?number=9988&outcome=Completed"))).EnumerateArray());
        Assert.Empty((await JsonAsync(await boss.GetAsync($"/api/history?number=9988&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"))}"))).EnumerateArray());
        using var badTime = await boss.GetAsync("/api/history?from=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, badTime.StatusCode);
        Assert.Contains("from is not a date and time", (await JsonAsync(badTime)).GetProperty("message").GetString(), StringComparison.Ordinal);

        var callId = hit.GetProperty("callId").GetString();
        var story = await JsonAsync(await boss.GetAsync($"/api/calls/{callId}/story"));
        Assert.Contains(story.GetProperty("events").EnumerateArray(), e => e.GetProperty("kind").GetString() == "outcome");
        using var recording = await boss.GetAsync($"/api/calls/{callId}/recording");
        Assert.Equal(HttpStatusCode.NotFound, recording.StatusCode);
        Assert.Contains("has no recording", (await JsonAsync(recording)).GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await taker.GetAsync($"/api/calls/{callId}/recording")).StatusCode);
    }

    [Fact]
    public async Task A_recorded_call_plays_its_wav_to_a_supervisor_and_a_path_outside_the_recordings_is_refused()
    {
        var recordings = Directory.CreateTempSubdirectory("routing-console-recordings").FullName;
        try
        {
            var settings = SignInSettings();
            settings["Recordings:Enabled"] = "false"; // the indexer stays out: the test writes the ledger line itself
            settings["Recordings:Directory"] = recordings;
            await using var harness = await EngineHarness.StartAsync(settings: settings);
            var (call, _) = await harness.CallAsync(new CallScript("+77015556677", "112", HangUpAfter: TimeSpan.FromMilliseconds(300)));
            await harness.WaitForOutcomeAsync(call.ChannelId);
            var callId = (await harness.Engine.Ledger.FindByCallerChannelAsync(call.ChannelId, CancellationToken.None))[0].Call.CallId;
            Directory.CreateDirectory(Path.Combine(recordings, "2026-12-06"));
            byte[] wav = [0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4];
            await File.WriteAllBytesAsync(Path.Combine(recordings, "2026-12-06", "caller.wav"), wav);
            var journal = harness.Engine.Host.Services.GetRequiredService<Routing.Calls.Ports.ICallJournal>();
            var now = DateTimeOffset.UtcNow;
            await journal.AppendAsync(new Routing.Calls.Ports.CallEventRecord(callId, null, now, Routing.Engine.Recordings.RecordingFacts.StoredKind,
                new Routing.Engine.Recordings.RecordingFacts("2026-12-06/caller.wav", wav.Length, "00", now, now).ToDetail()), CancellationToken.None);
            var (boss, _) = Browser(harness);
            using var _boss = boss;
            (await SignInAsync(boss, "boss", Password)).EnsureSuccessStatusCode();

            using var played = await boss.GetAsync($"/api/calls/{callId}/recording");

            Assert.Equal(HttpStatusCode.OK, played.StatusCode);
            Assert.Equal("audio/wav", played.Content.Headers.ContentType?.MediaType);
            Assert.Equal(wav, await played.Content.ReadAsByteArrayAsync());

            await journal.AppendAsync(new Routing.Calls.Ports.CallEventRecord(callId, null, now.AddSeconds(1), Routing.Engine.Recordings.RecordingFacts.StoredKind,
                new Routing.Engine.Recordings.RecordingFacts("../../etc/passwd", 1, "00", now, now).ToDetail()), CancellationToken.None);
            using var escaped = await boss.GetAsync($"/api/calls/{callId}/recording");
            Assert.Equal(HttpStatusCode.Forbidden, escaped.StatusCode);
            Assert.Contains("leaves the recordings directory", (await JsonAsync(escaped)).GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(recordings, recursive: true);
        }
    }

    [GeneratedRegex(@"\n  (en|ru|kk): \{(.*?)\n  \}", RegexOptions.Singleline)]
    private static partial Regex LanguageBlock();

    [GeneratedRegex("\"([a-zA-Z0-9_.:-]+)\":")]
    private static partial Regex Key();
}
