using System.Net;
using System.Text.Json;
using Routing.Engine.Hosting;
using Routing.Simulator;

namespace Routing.Engine.Tests;

/// <summary>
/// The 112 call-taker centre end to end over loopback: simulated call-taker phones register and answer,
/// call-takers log in and act through the operator API, and the ledger tells each call's story. No timed
/// assertions: every wait is a bounded poll of the API, the simulator or the ledger.
/// </summary>
public sealed partial class CentreEndToEndTests
{
    private static readonly TimeSpan Talking = TimeSpan.FromMinutes(5); // callers stay until the engine hangs up

    /// <summary>The shipped centre, with waits long enough that nothing overflows while a test looks, no
    /// wrap-up, and SOS buttons taken by the Almaty group (the test's three call-takers).</summary>
    private static Dictionary<string, string?> CentreSettings(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            [EngineConfiguration.CentreEnabledKey] = "true",
            ["Centre:WrapUp"] = "00:00:00",
            ["Centre:OfferTimeout"] = "00:00:02",
            ["Centre:AnnounceInterval"] = "00:10:00",
            ["Centre:Groups:almaty:MaxWait"] = "00:10:00",
            ["Centre:Groups:national:MaxWait"] = "00:10:00",
            ["Centre:Entries:Sos:Group"] = "almaty",
            ["Routing:Operators:QueueTimeout"] = "00:30:00",
        };
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        return settings;
    }

    private static Action<SimulatorOptions> Phones(params (string Position, CallTakerBehavior Behavior)[] phones) => options =>
    {
        foreach (var (position, behavior) in phones)
        {
            options.CallTakers[position] = behavior;
        }
    };

    private static CallTakerBehavior Answers => CallTakerBehavior.AnswersAfter(TimeSpan.FromMilliseconds(20));

    private static CallScript Caller(int n) => new($"+7727{n:0000000}", "112", HangUpAfter: Talking);

    private sealed class Centre(EngineHarness harness) : IAsyncDisposable
    {
        public EngineHarness Harness { get; } = harness;

        public OperatorClient Api { get; } = new(harness.AdminUrl);

        public async Task<JsonElement> CallTakerAsync(string position)
        {
            var centre = await Api.CentreAsync();
            return centre.GetProperty("callTakers").EnumerateArray().First(c => c.GetProperty("position").GetString() == position);
        }

        public async Task WaitForAsync(string what, Func<JsonElement, bool> condition)
        {
            JsonElement last = default;
            try
            {
                await Harness.WaitUntilAsync(async () =>
                {
                    last = await Api.CentreAsync();
                    return condition(last);
                }, what);
            }
            catch (TimeoutException ex)
            {
                throw new TimeoutException($"{ex.Message} Centre: {last}\nLedger:\n{await RecentStoriesAsync()}", ex);
            }
        }

        public Task WaitForCallTakerAsync(string position, Func<JsonElement, bool> condition, string what) =>
            WaitForAsync($"{position} {what}", centre => centre.GetProperty("callTakers").EnumerateArray()
                .Any(c => c.GetProperty("position").GetString() == position && condition(c)));

        public Task WaitReachableAsync(params string[] positions) =>
            WaitForAsync($"{string.Join(", ", positions)} reachable", centre => positions.All(p => centre.GetProperty("callTakers").EnumerateArray()
                .Any(c => c.GetProperty("position").GetString() == p && c.GetProperty("reachable").GetBoolean())));

        public Task WaitWaitingAsync(int count) =>
            WaitForAsync($"{count} calls waiting", centre => centre.GetProperty("waiting").GetArrayLength() == count);

        public async Task<string> CallIdOfAsync(SimulatedCall call)
        {
            string? id = null;
            await Harness.WaitUntilAsync(() =>
            {
                id = Harness.Engine.Calls.Active.FirstOrDefault(c => c.CallerChannelId == call.ChannelId)?.CallId;
                return id is not null;
            }, $"a call for caller channel {call.ChannelId}");
            return id!;
        }

        public async Task<string> OnCallWithAsync(string position)
        {
            string? callId = null;
            await WaitForCallTakerAsync(position, c =>
            {
                callId = c.GetProperty("callId").GetString();
                return c.GetProperty("state").GetString() == "OnCall";
            }, "on a call");
            return callId!;
        }

        /// <summary>The last few calls' stories, for a failure message.</summary>
        public async Task<string> RecentStoriesAsync()
        {
            var lines = new List<string>();
            foreach (var call in await Harness.Engine.Ledger.RecentCallsAsync(5, CancellationToken.None))
            {
                var story = await Harness.Engine.Ledger.GetCallAsync(call.Call.CallId, CancellationToken.None);
                lines.Add($"{call.Call.CallId}: {string.Join(" | ", story!.Events.Select(e => $"{e.Event.Kind} {e.Event.Detail}"))}");
            }

            return string.Join("\n", lines);
        }

        public async Task<JsonElement> CardAsync(string user, string callId) => (await Api.GetAsync(user, $"/api/calls/{callId}")).Body;

        public async Task<JsonElement> StoryAsync(string callId)
        {
            await Harness.LedgerCaughtUpAsync();
            return (await Api.GetAsync("supervisor", $"/api/calls/{callId}/story", "supervisor")).Body;
        }

        public static IReadOnlyList<(string Kind, string Detail)> Events(JsonElement story) =>
            story.GetProperty("events").EnumerateArray().Select(e => (e.GetProperty("kind").GetString()!, e.GetProperty("detail").GetString()!)).ToList();

        public async ValueTask DisposeAsync()
        {
            Api.Dispose();
            await Harness.DisposeAsync();
        }
    }

    private static async Task<Centre> StartAsync(Action<SimulatorOptions> phones, Dictionary<string, string?>? settings = null) =>
        new(await EngineHarness.StartAsync(phones, CentreSettings(settings)));

    [Fact]
    public async Task Thirty_callers_and_three_call_takers_every_caller_is_answered_in_priority_order_and_an_SOS_call_jumps_the_queue()
    {
        await using var centre = await StartAsync(Phones(("calltaker-1", Answers), ("calltaker-2", Answers), ("calltaker-3", Answers)));
        await centre.WaitReachableAsync("calltaker-1", "calltaker-2", "calltaker-3");
        await centre.Api.LoginAsync("aigerim", "calltaker-1");
        await centre.Api.LoginAsync("boris", "calltaker-2");
        await centre.Api.LoginAsync("dana", "calltaker-3");

        // Three callers take the three call-takers.
        var onCall = new Dictionary<string, string>();
        foreach (var (position, n) in new[] { ("calltaker-1", 0), ("calltaker-2", 1), ("calltaker-3", 2) })
        {
            await centre.Harness.Asterisk.PlaceCallAsync(Caller(n), CancellationToken.None);
            onCall[position] = await centre.OnCallWithAsync(position);
        }

        // Twenty-seven more wait, placed one at a time so their arrival order is known; the SOS button
        // presses when twenty ordinary callers already wait.
        var arrival = new List<string>();
        string? sos = null;
        for (var i = 0; i < 27; i++)
        {
            var script = i == 20
                ? new CallScript("+77270000101", "112", "SOS button", Context: "from-sos", HangUpAfter: Talking)
                : Caller(100 + i);
            var call = await centre.Harness.Asterisk.PlaceCallAsync(script, CancellationToken.None);
            var callId = await centre.CallIdOfAsync(call);
            if (i == 20)
            {
                sos = callId;
            }
            else
            {
                arrival.Add(callId);
            }

            await centre.WaitWaitingAsync(i + 1);
        }

        // Each call-taker in turn finishes its call; the centre gives it the next call in the queue.
        var answered = new List<string>();
        var positions = new[] { "calltaker-1", "calltaker-2", "calltaker-3" };
        for (var turn = 0; turn < 27; turn++)
        {
            var position = positions[turn % 3];
            var user = position switch { "calltaker-1" => "aigerim", "calltaker-2" => "boris", _ => "dana" };
            var current = onCall[position];
            var classified = await centre.Api.PostAsync(user, $"/api/calls/{current}/classify", new { kind = "nonEmergency", note = "asked for a taxi number" });
            Assert.True(classified.Status == HttpStatusCode.Accepted, classified.ToString());
            var hungUp = await centre.Api.PostAsync(user, $"/api/calls/{current}/hangup", new { reason = "not an emergency" });
            Assert.True(hungUp.Status == HttpStatusCode.Accepted, hungUp.ToString());
            string? next = null;
            await centre.WaitForCallTakerAsync(position, c =>
            {
                next = c.GetProperty("callId").GetString();
                return c.GetProperty("state").GetString() == "OnCall" && next != current;
            }, $"on its next call (turn {turn})");
            onCall[position] = next!;
            answered.Add(next!);
        }

        Assert.Equal([sos!, .. arrival], answered);
        await centre.WaitWaitingAsync(0);
        var finished = await centre.Harness.Engine.Ledger.GetCallAsync(answered[1], CancellationToken.None);
        var record = await centre.Harness.WaitForOutcomeAsync(finished!.Call.Call.CallerChannelId);
        Assert.Equal("NonEmergency", record.Outcome);
        Assert.Contains(record.EventKinds, k => k == "classified");
    }

    [Fact]
    public async Task An_ignored_offer_pauses_that_call_taker_and_the_call_is_offered_to_the_next_one_at_once()
    {
        await using var centre = await StartAsync(Phones(("calltaker-1", CallTakerBehavior.Ignores), ("calltaker-2", Answers)));
        await centre.WaitReachableAsync("calltaker-1", "calltaker-2");
        await centre.Api.LoginAsync("aigerim", "calltaker-1"); // idle longest: offered first
        await centre.Api.LoginAsync("boris", "calltaker-2");

        var call = await centre.Harness.Asterisk.PlaceCallAsync(Caller(7), CancellationToken.None);
        var callId = await centre.OnCallWithAsync("calltaker-2");

        Assert.Equal(callId, await centre.CallIdOfAsync(call));
        var ignored = await centre.CallTakerAsync("calltaker-1");
        Assert.Equal("Paused", ignored.GetProperty("state").GetString());
        Assert.Equal("no answer", ignored.GetProperty("pauseReason").GetString());
        var events = Centre.Events(await centre.StoryAsync(callId));
        var offers = events.Where(e => e.Kind == "offer").Select(e => e.Detail.Split(' ')[0]).ToList();
        Assert.Equal(["calltaker-1", "calltaker-2"], offers);
        // "At once": nothing but the first offer's end lies between it and the next offer.
        var unanswered = events.ToList().FindIndex(e => e.Kind is "offer.withdrawn" or "offer.unanswered");
        var second = events.ToList().FindLastIndex(e => e.Kind == "offer");
        Assert.True(unanswered >= 0 && unanswered < second, string.Join(" | ", events));
        Assert.DoesNotContain(events.Skip(unanswered).Take(second - unanswered), e => e.Kind is "timer" or "queue.overflowed");
        Assert.Contains(events, e => e.Kind == "calltaker.joined" && e.Detail.StartsWith("calltaker-2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_warm_transfer_ends_with_caller_and_agency_talking_and_the_call_taker_gone()
    {
        await using var centre = await StartAsync(Phones(("calltaker-1", Answers)));
        await centre.WaitReachableAsync("calltaker-1");
        await centre.Api.LoginAsync("aigerim", "calltaker-1");
        var call = await centre.Harness.Asterisk.PlaceCallAsync(Caller(11), CancellationToken.None);
        var callId = await centre.OnCallWithAsync("calltaker-1");

        Assert.Equal(HttpStatusCode.Accepted, (await centre.Api.PostAsync("aigerim", $"/api/calls/{callId}/classify", new { agency = "police", incidentType = "robbery" })).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await centre.Api.PostAsync("aigerim", $"/api/calls/{callId}/transfer", new { agency = "police", mode = "warm" })).Status);
        await centre.Harness.WaitUntilAsync(async () => (await centre.CardAsync("aigerim", callId)) is var card
            && card.TryGetProperty("transfer", out var t) && t.ValueKind == JsonValueKind.Object && t.GetProperty("state").GetString() == "answered", "the police to answer the transfer");
        Assert.Equal(HttpStatusCode.Accepted, (await centre.Api.PostAsync("aigerim", $"/api/calls/{callId}/transfer/complete")).Status);

        await centre.Harness.WaitUntilAsync(() => centre.Harness.Engine.Calls.TryGetByCallId(callId, out var c) && c.Snapshot.State == Routing.Calls.CallState.Connected, "caller and agency to go on alone");
        await centre.Harness.WaitUntilAsync(() => centre.Harness.Asterisk.CallTakers["calltaker-1"].ChannelIds.Count == 0, "the call-taker's phone to leave the call");
        Assert.Equal("police-almaty-1", call.BridgedWith);
        Assert.False(call.Ended.IsCompleted);
        await centre.WaitForCallTakerAsync("calltaker-1", c => c.GetProperty("state").GetString() == "Available", "available again");

        call.HangUp();
        var record = await centre.Harness.WaitForOutcomeAsync(call.ChannelId);
        Assert.Equal("Completed", record.Outcome);
        var kinds = record.EventKinds.ToList();
        Assert.True(kinds.IndexOf("calltaker.joined") < kinds.IndexOf("transfer.answered") && kinds.IndexOf("transfer.answered") < kinds.IndexOf("calltaker.left"), string.Join(", ", kinds));
    }

    [Fact]
    public async Task A_call_taker_sets_where_the_caller_is_the_card_shows_it_with_a_map_link_and_the_transfer_goes_to_that_region_with_the_location_header()
    {
        await using var centre = await StartAsync(Phones(("calltaker-1", Answers)));
        await centre.WaitReachableAsync("calltaker-1");
        await centre.Api.LoginAsync("aigerim", "calltaker-1");
        var call = await centre.Harness.Asterisk.PlaceCallAsync(Caller(17), CancellationToken.None);
        var callId = await centre.OnCallWithAsync("calltaker-1");

        var bad = await centre.Api.PostAsync("aigerim", $"/api/calls/{callId}/location", new { latitude = 95.0, longitude = 71.4 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Equal("latitude 95 is outside -90..90", bad.Message);
        var half = await centre.Api.PostAsync("aigerim", $"/api/calls/{callId}/location", new { latitude = 51.1 });
        Assert.Equal(HttpStatusCode.BadRequest, half.Status);
        Assert.Equal(HttpStatusCode.Accepted, (await centre.Api.PostAsync("aigerim", $"/api/calls/{callId}/location",
            new { address = "Astana, Kenesary 40", latitude = 51.1694, longitude = 71.4491, accuracyMeters = 30 })).Status);

        var card = await centre.CardAsync("aigerim", callId);
        var where = card.GetProperty("where");
        Assert.Equal("call-taker", where.GetProperty("source").GetString());
        Assert.Equal("typed by aigerim@calltaker-1", where.GetProperty("method").GetString());
        Assert.Equal("https://www.openstreetmap.org/?mlat=51.1694&mlon=71.4491#map=17/51.1694/71.4491", where.GetProperty("mapLink").GetString());
        Assert.Equal("astana", card.GetProperty("region").GetString());

        Assert.Equal(HttpStatusCode.Accepted, (await centre.Api.PostAsync("aigerim", $"/api/calls/{callId}/transfer", new { agency = "police", mode = "warm" })).Status);
        await centre.Harness.WaitUntilAsync(async () => call.BridgedWith == "police-astana-1" || (await centre.CardAsync("aigerim", callId)) is var c
            && c.TryGetProperty("transfer", out var t) && t.ValueKind == JsonValueKind.Object && t.GetProperty("state").GetString() == "answered", "the Astana police to answer the transfer");
        var originate = centre.Harness.Asterisk.Requests.Last(r => r.Method == "POST" && Uri.UnescapeDataString(r.Query).Contains("endpoint=PJSIP/police-", StringComparison.Ordinal));
        Assert.Contains("endpoint=PJSIP/police-astana-1", Uri.UnescapeDataString(originate.Query), StringComparison.Ordinal);
        Assert.Contains("PJSIP_HEADER(add,X-Routing112-Location)", originate.Body, StringComparison.Ordinal);
        Assert.Contains("geo:51.1694,71.4491;u=30", originate.Body, StringComparison.Ordinal);

        call.HangUp();
        var record = await centre.Harness.WaitForOutcomeAsync(call.ChannelId);
        Assert.Contains(record.Events, e => e.Contains(" location source=call-taker;", StringComparison.Ordinal) && e.Contains("civic=Astana, Kenesary 40", StringComparison.Ordinal));
        Assert.Contains(record.Events, e => e.Contains(" location.region almaty -> astana: CallTaker location", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_transfer_no_trunk_answers_leaves_the_caller_with_the_call_taker()
    {
        await using var centre = await StartAsync(Phones(("calltaker-1", Answers)));
        await centre.WaitReachableAsync("calltaker-1");
        await centre.Api.LoginAsync("aigerim", "calltaker-1");
        var call = await centre.Harness.Asterisk.PlaceCallAsync(Caller(13), CancellationToken.None);
        string callId;
        try
        {
            callId = await centre.OnCallWithAsync("calltaker-1");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\nSimulator: {call}\nREST: {string.Join(" | ", centre.Harness.Asterisk.Requests.Take(40).Select(r => $"{r.Method} {r.Path} {r.Status}"))}", ex);
        }

        var routing = centre.Harness.Configuration.Routing;
        var policeTrunks = routing.Regions.Values.SelectMany(r => r.Trunks.TryGetValue("police", out var t) ? t : [])
            .Concat(routing.NationalFallback.TryGetValue("police", out var n) ? n : []).ToList();
        foreach (var trunk in policeTrunks)
        {
            centre.Harness.Asterisk.SetTrunk(trunk.Endpoint[(trunk.Endpoint.IndexOf('/') + 1)..], TrunkBehavior.Busy(TimeSpan.FromMilliseconds(10)));
        }

        Assert.Equal(HttpStatusCode.Accepted, (await centre.Api.PostAsync("aigerim", $"/api/calls/{callId}/transfer", new { agency = "police" })).Status);
        await centre.Harness.WaitUntilAsync(async () => (await centre.CardAsync("aigerim", callId)) is var card
            && card.TryGetProperty("transfer", out var t) && t.ValueKind == JsonValueKind.Object && t.GetProperty("state").GetString() == "failed", "the transfer to fail on every police trunk");

        var after = await centre.CardAsync("aigerim", callId);
        Assert.Equal("WithCallTaker", after.GetProperty("state").GetString());
        Assert.Equal("calltaker-1", after.GetProperty("callTaker").GetString());
        Assert.False(call.Ended.IsCompleted);
        Assert.Single(centre.Harness.Asterisk.CallTakers["calltaker-1"].ChannelIds);
        Assert.Equal("OnCall", (await centre.CallTakerAsync("calltaker-1")).GetProperty("state").GetString());
        var story = Centre.Events(await centre.StoryAsync(callId));
        // Every trunk of the caller's plan was tried: Almaty's, then the overflow region's, then national.
        var plan = new Routing.Calls.Routing.RoutePlanner(routing).PlanFor("police", "almaty");
        Assert.Equal(plan.Select(p => $"warm police: {p.Trunk.Name}"), story.Where(e => e.Kind == "transfer.tried").Select(e => e.Detail[..e.Detail.IndexOf(" (attempt", StringComparison.Ordinal)]));
        Assert.Contains(story, e => e.Kind == "transfer.failed");
    }

    [Fact]
    public async Task A_caller_who_hangs_up_while_waiting_ends_abandoned_in_the_queue_with_a_callback_task()
    {
        await using var centre = await StartAsync(Phones(("calltaker-1", Answers)));
        await centre.WaitReachableAsync("calltaker-1");
        await centre.Api.LoginAsync("aigerim", "calltaker-1");
        await centre.Harness.Asterisk.PlaceCallAsync(Caller(20), CancellationToken.None);
        await centre.OnCallWithAsync("calltaker-1");

        var waiting = await centre.Harness.Asterisk.PlaceCallAsync(Caller(21), CancellationToken.None);
        await centre.WaitWaitingAsync(1);
        waiting.HangUp();

        var record = await centre.Harness.WaitForOutcomeAsync(waiting.ChannelId);
        Assert.Equal("AbandonedInQueue", record.Outcome);
        Assert.Contains("callback.required", record.EventKinds);
        Assert.Contains("queue.left", record.EventKinds);
        await centre.WaitWaitingAsync(0);
    }

    [Fact]
    public async Task A_call_taker_whose_phone_goes_unreachable_gets_no_offers()
    {
        await using var centre = await StartAsync(Phones(("calltaker-1", Answers), ("calltaker-2", Answers)));
        await centre.WaitReachableAsync("calltaker-1", "calltaker-2");
        await centre.Api.LoginAsync("aigerim", "calltaker-1"); // idle longest: would be offered first
        await centre.Api.LoginAsync("boris", "calltaker-2");
        centre.Harness.Asterisk.CallTakers["calltaker-1"].GoUnreachable();
        await centre.WaitForCallTakerAsync("calltaker-1", c => !c.GetProperty("reachable").GetBoolean(), "unreachable");

        var call = await centre.Harness.Asterisk.PlaceCallAsync(Caller(30), CancellationToken.None);
        var callId = await centre.OnCallWithAsync("calltaker-2");

        var offers = Centre.Events(await centre.StoryAsync(callId)).Where(e => e.Kind == "offer").ToList();
        Assert.All(offers, o => Assert.StartsWith("calltaker-2", o.Detail, StringComparison.Ordinal));
        Assert.Equal("Available", (await centre.CallTakerAsync("calltaker-1")).GetProperty("state").GetString());
        Assert.Empty(centre.Harness.Asterisk.CallTakers["calltaker-1"].ChannelIds);
        Assert.Equal(callId, await centre.CallIdOfAsync(call));
    }

    [Fact]
    public async Task Bad_operator_input_gets_a_clear_4xx_and_changes_nothing()
    {
        await using var centre = await StartAsync(Phones(("calltaker-1", Answers), ("calltaker-2", Answers)));
        await centre.WaitReachableAsync("calltaker-1", "calltaker-2");
        await centre.Api.LoginAsync("aigerim", "calltaker-1");
        await centre.Harness.Asterisk.PlaceCallAsync(Caller(40), CancellationToken.None);
        var callId = await centre.OnCallWithAsync("calltaker-1");
        await centre.Api.LoginAsync("boris", "calltaker-2");
        var storyBefore = Centre.Events(await centre.StoryAsync(callId)).Count;

        var unknown = await centre.Api.PostAsync("aigerim", "/api/calls/no-such-call/classify", new { agency = "fire" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal("unknown call no-such-call", unknown.Message);

        var pause = await centre.Api.PostAsync("aigerim", "/api/calltakers/calltaker-1/pause", new { reason = "coffee" });
        Assert.Equal(HttpStatusCode.Conflict, pause.Status);
        Assert.Contains("calltaker-1 is OnCall", pause.Message);

        var notYours = await centre.Api.PostAsync("boris", $"/api/calls/{callId}/classify", new { agency = "fire" });
        Assert.Equal(HttpStatusCode.Forbidden, notYours.Status);
        Assert.Equal($"call {callId} is not yours (it is with calltaker-1)", notYours.Message);

        var badAgency = await centre.Api.PostAsync("aigerim", $"/api/calls/{callId}/classify", new { agency = "navy" });
        Assert.Equal(HttpStatusCode.BadRequest, badAgency.Status);
        Assert.StartsWith("agency 'navy' is not a configured agency", badAgency.Message);

        var noTransfer = await centre.Api.PostAsync("aigerim", $"/api/calls/{callId}/transfer/complete");
        Assert.Equal(HttpStatusCode.Conflict, noTransfer.Status);
        Assert.Equal("no answered transfer to complete (transfer is none)", noTransfer.Message);

        var taken = await centre.Api.PostAsync("dana", "/api/calltakers/calltaker-1/login");
        Assert.Equal(HttpStatusCode.Forbidden, taken.Status);
        Assert.Equal("calltaker-1 belongs to user aigerim", taken.Message);

        var anonymous = await centre.Api.GetAsync("", "/api/centre");
        Assert.Equal(HttpStatusCode.BadRequest, anonymous.Status);

        // Nothing changed: the call, both positions and the call's story are as they were.
        var card = await centre.CardAsync("aigerim", callId);
        Assert.Equal("WithCallTaker", card.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, card.GetProperty("classification").ValueKind);
        Assert.Equal("OnCall", (await centre.CallTakerAsync("calltaker-1")).GetProperty("state").GetString());
        Assert.Equal("Available", (await centre.CallTakerAsync("calltaker-2")).GetProperty("state").GetString());
        Assert.Equal(storyBefore, Centre.Events(await centre.StoryAsync(callId)).Count);
    }
}
