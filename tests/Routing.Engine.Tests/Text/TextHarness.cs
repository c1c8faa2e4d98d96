using System.Net;
using System.Text.Json;
using Routing.Engine.Hosting;
using Routing.Simulator;

namespace Routing.Engine.Tests.Text;

/// <summary>The engine with the centre and text on, a simulated Asterisk whose <c>appgw</c> endpoint is the police
/// app's text gateway and whose <c>police-text</c>/<c>fire-text</c> endpoints are agencies' text desks, and one
/// call-taker (calltaker-1, user aigerim) logged in. Every wait is a bounded poll.</summary>
internal sealed class TextHarness : IAsyncDisposable
{
    public const string Caller = "+77271234567";
    public const string CallerFrom = "\"Айгуль\" <sip:+77271234567@appgw.example>";
    public const string CallerTo = "pjsip:PJSIP/+77271234567@appgw";

    private TextHarness(EngineHarness harness)
    {
        Harness = harness;
        Api = new OperatorClient(harness.AdminUrl);
    }

    public EngineHarness Harness { get; }

    public OperatorClient Api { get; private set; }

    /// <summary>A clean stop of the engine and a new one on the same ledger and simulated Asterisk; <see cref="Api"/>
    /// then talks to the new one (its admin port is another).</summary>
    public async Task RestartEngineAsync()
    {
        await Harness.RestartEngineAsync();
        Api.Dispose();
        Api = new OperatorClient(Harness.AdminUrl);
    }

    public SimulatedAsterisk Asterisk => Harness.Asterisk;

    /// <summary>The centre and text settings every text test shares.</summary>
    public static Dictionary<string, string?> Settings() => new()
        {
            [EngineConfiguration.CentreEnabledKey] = "true",
            ["Centre:WrapUp"] = "00:00:00",
            ["Centre:OfferTimeout"] = "00:01:00",
            ["Centre:AnnounceInterval"] = "00:10:00",
            ["Centre:Groups:almaty:MaxWait"] = "00:10:00",
            ["Centre:Groups:national:MaxWait"] = "00:10:00",
            ["Routing:Operators:QueueTimeout"] = "00:30:00",
            ["Notifications:Enabled"] = "false",
            ["Text:From"] = "\"112\" <sip:112@127.0.0.1>",
            ["Text:Gateways:app:Endpoint"] = "PJSIP/appgw",
            ["Text:Agencies:police:To"] = "pjsip:police-text",
            ["Text:Agencies:fire:To"] = "pjsip:PJSIP/1010@fire-text",

            // The shipped ambulance and gas desks taken away: a transfer there is refused as having no text desk.
            ["Text:Agencies:ambulance:To"] = "",
            ["Text:Agencies:gas:To"] = "",
            ["Text:FallbackAgency"] = "police",
            ["Text:IdleTimeout"] = "00:10:00",
        };

    /// <summary>calltaker-1's phone (registered, answers) and the text endpoints.</summary>
    public static void Simulator(SimulatorOptions options)
    {
        options.CallTakers["calltaker-1"] = CallTakerBehavior.AnswersAfter(TimeSpan.FromMilliseconds(20));
        options.TextEndpoints.UnionWith(["appgw", "police-text", "fire-text", "ambulance-text", "gas-text", "stranger"]);
    }

    public static async Task<TextHarness> StartAsync(Dictionary<string, string?>? more = null, bool login = true)
    {
        var settings = Settings();
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        var harness = await EngineHarness.StartAsync(Simulator, settings);
        var text = new TextHarness(harness);
        await text.WaitUntilAsync("the engine to subscribe to the text endpoints", () => Task.FromResult(harness.Asterisk.Requests.Any(r =>
            r.Method == "POST" && r.Path.EndsWith("/subscription", StringComparison.Ordinal) && r.Query.Contains("appgw", StringComparison.Ordinal) && r.Status == 200)));
        if (login)
        {
            await text.WaitUntilAsync("calltaker-1 reachable", async () => (await text.Api.CentreAsync()).GetProperty("callTakers").EnumerateArray()
                .Any(c => c.GetProperty("position").GetString() == "calltaker-1" && c.GetProperty("reachable").GetBoolean()));
            await text.Api.LoginAsync("aigerim", "calltaker-1");
        }

        return text;
    }

    /// <summary>The engine with the centre on and the shipped Text section as it is (gateway PJSIP/app-messages, the four
    /// agency desks); the simulated Asterisk has the text endpoints <c>make run</c> gives it.</summary>
    public static async Task<TextHarness> StartShippedAsync()
    {
        var settings = Settings();
        foreach (var key in settings.Keys.Where(k => k.StartsWith("Text:", StringComparison.Ordinal)).ToList()) settings.Remove(key);
        var shipped = ShippedTextTests.Shipped(centre: "true");
        var harness = await EngineHarness.StartAsync(o =>
        {
            o.CallTakers["calltaker-1"] = CallTakerBehavior.AnswersAfter(TimeSpan.FromMilliseconds(20));
            o.TextEndpoints = Routing.Engine.Simulation.SimulatedTextEndpoints.For(shipped.Text);
        }, settings);
        var text = new TextHarness(harness);
        await text.WaitUntilAsync("the engine to subscribe to the shipped text gateway", () => Task.FromResult(harness.Asterisk.Requests.Any(r =>
            r.Method == "POST" && r.Path.EndsWith("/subscription", StringComparison.Ordinal) && r.Query.Contains("app-messages", StringComparison.Ordinal) && r.Status == 200)));
        return text;
    }

    public TextDelivery Write(string body, string from = CallerFrom, IReadOnlyDictionary<string, string>? headers = null, string endpoint = "appgw") =>
        Asterisk.SendTextMessage(endpoint, from, body, headers);

    public async Task<JsonElement[]> SessionsAsync() =>
        (await Api.GetAsync("supervisor", "/api/texts", "supervisor")).Body.EnumerateArray().ToArray();

    public async Task<JsonElement> SessionAsync(string id) => (await Api.GetAsync("supervisor", $"/api/texts/{id}", "supervisor")).Body;

    public async Task<string> WaitForSessionAsync(Func<JsonElement, bool> match, string what)
    {
        string? id = null;
        await WaitUntilAsync(what, async () =>
        {
            id = (await SessionsAsync()).FirstOrDefault(match) is { ValueKind: JsonValueKind.Object } s ? s.GetProperty("sessionId").GetString() : null;
            return id is not null;
        });
        return id!;
    }

    public Task WaitForStateAsync(string id, string state) =>
        WaitUntilAsync($"session {id} {state}", async () => (await SessionAsync(id)).GetProperty("state").GetString() == state);

    public Task WaitOfferedAsync(string id) =>
        WaitUntilAsync($"{id} offered to calltaker-1", async () => (await Api.CentreAsync()).GetProperty("callTakers").EnumerateArray()
            .Any(c => c.GetProperty("position").GetString() == "calltaker-1" && c.GetProperty("state").GetString() == "Offered" && c.GetProperty("callId").GetString() == id));

    public async Task<OperatorClient.Reply> ActAsync(string id, string action, object? body = null, string user = "aigerim")
    {
        var reply = await Api.PostAsync(user, $"/api/texts/{id}/{action}", body);
        return reply;
    }

    public async Task AcceptedAsync(string id, string action, object? body = null)
    {
        var reply = await ActAsync(id, action, body);
        if (reply.Status != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"{action} on {id} was refused: {reply}");
        }
    }

    public IReadOnlyList<SentTextMessage> SentTo(string to) => Asterisk.SentMessages.Where(m => m.To == to).ToList();

    public async Task<IReadOnlyList<(string Kind, string Detail)>> StoryAsync(string id)
    {
        await Harness.LedgerCaughtUpAsync();
        var history = await Harness.Engine.Ledger.GetCallAsync(id, CancellationToken.None);
        return history is null ? [] : history.Events.Select(e => (e.Event.Kind, e.Event.Detail)).ToList();
    }

    /// <summary>Polls <paramref name="condition"/> (awaited, never blocking a pool thread the engine needs) until it
    /// holds or <see cref="EngineHarness.CallTimeout"/> passes.</summary>
    public async Task WaitUntilAsync(string what, Func<Task<bool>> condition)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!await condition())
        {
            if (TimeProvider.System.GetElapsedTime(started) > EngineHarness.CallTimeout)
            {
                var sessions = string.Join("\n", (await SessionsAsync()).Select(s => s.ToString()));
                throw new TimeoutException($"Timed out after {EngineHarness.CallTimeout} waiting for {what}.\nSessions:\n{sessions}\nSent: {string.Join(" | ", Asterisk.SentMessages.Select(m => $"{m.To}: {m.Body}"))}");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await Harness.DisposeAsync();
    }
}
