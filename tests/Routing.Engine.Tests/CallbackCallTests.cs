using System.Net;
using System.Text.Json;
using Routing.Engine.Hosting;
using Routing.Simulator;

namespace Routing.Engine.Tests;

/// <summary>
/// Calling a lost caller back, end to end over loopback: the call-taker's simulated phone is rung first, then the
/// caller's number through the callback trunk presenting the 112 centre, and the two are bridged by the engine;
/// the task goes attempted → reached, or stays attempted with the result when the caller is busy or does not
/// answer. Every wait is a bounded poll.
/// </summary>
public sealed class CallbackCallTests
{
    private const string LostNumber = "+77270000021";

    private static CallTakerBehavior Answers => CallTakerBehavior.AnswersAfter(TimeSpan.FromMilliseconds(20));

    private static async Task<(EngineHarness Harness, OperatorClient Api, string CallId)> LostCallerAsync(
        Action<SimulatorOptions>? more = null, Dictionary<string, string?>? settings = null)
    {
        var harness = await EngineHarness.StartAsync(
            options =>
            {
                options.CallTakers["calltaker-1"] = Answers;
                options.CallTakers["calltaker-2"] = Answers;
                more?.Invoke(options);
            },
            new Dictionary<string, string?>
            {
                [EngineConfiguration.CentreEnabledKey] = "true",
                ["Centre:WrapUp"] = "00:00:00",
                ["Centre:AnnounceInterval"] = "00:10:00",
                ["Centre:Groups:almaty:MaxWait"] = "00:10:00",
                ["Centre:Groups:national:MaxWait"] = "00:10:00",
                ["Routing:Operators:QueueTimeout"] = "00:30:00",
                ["Callbacks:RingTimeout"] = "00:00:01",
            }.Concat(settings ?? []).ToDictionary());
        var api = new OperatorClient(harness.AdminUrl);
        await harness.WaitUntilAsync(async () => (await api.CentreAsync()).GetProperty("callTakers").EnumerateArray()
            .Count(c => c.GetProperty("reachable").GetBoolean()) >= 2, "both phones registered");

        // calltaker-1 is busy with one caller while a second caller gives up waiting.
        await api.LoginAsync("aigerim", "calltaker-1");
        await harness.Asterisk.PlaceCallAsync(new CallScript("+77270000020", "112", HangUpAfter: TimeSpan.FromMinutes(5)), CancellationToken.None);
        await harness.WaitUntilAsync(async () => (await api.StateOfAsync("calltaker-1")) == "OnCall", "calltaker-1 on a call");
        var lost = await harness.Asterisk.PlaceCallAsync(new CallScript(LostNumber, "112", HangUpAfter: TimeSpan.FromMinutes(5)), CancellationToken.None);
        await harness.WaitUntilAsync(async () => (await api.WaitingAsync()) == 1, "the second caller waiting");
        lost.HangUp();
        Assert.Equal("AbandonedInQueue", (await harness.WaitForOutcomeAsync(lost.ChannelId)).Outcome);
        var callId = (await harness.Engine.Ledger.FindByCallerChannelAsync(lost.ChannelId, CancellationToken.None))[0].Call.CallId;
        return (harness, api, callId);
    }

    private static async Task<JsonElement> TaskAsync(OperatorClient api, string callId) =>
        (await api.GetAsync("boss", $"/api/callbacks/{callId}", "supervisor")).Body;

    private static async Task<JsonElement> WaitForTaskAsync(EngineHarness harness, OperatorClient api, string callId, Func<JsonElement, bool> condition, string what)
    {
        JsonElement task = default;
        await harness.WaitUntilAsync(async () =>
        {
            task = await TaskAsync(api, callId);
            return condition(task);
        }, what);
        return task;
    }

    private static async Task<IReadOnlyList<string>> CallbackKindsAsync(EngineHarness harness, string callId)
    {
        await harness.LedgerCaughtUpAsync();
        return (await harness.Engine.Ledger.GetCallAsync(callId, CancellationToken.None))!.Events
            .Select(e => e.Event.Kind).Where(k => k.StartsWith("callback.", StringComparison.Ordinal)).ToList();
    }

    [Fact]
    public async Task A_call_taker_calls_a_lost_caller_back_its_own_phone_first_then_the_caller_as_112_and_the_engine_bridges_them()
    {
        var (harness, api, callId) = await LostCallerAsync();
        await using var _ = harness;
        using var __ = api;

        // Only a call-taker who is free may call back, and never a supervisor.
        var busy = await api.PostAsync("aigerim", $"/api/callbacks/{callId}/call");
        Assert.Equal((HttpStatusCode.Conflict, "calltaker-1 is OnCall; callback is allowed in Available or WrapUp"), (busy.Status, busy.Message));
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync("boss", $"/api/callbacks/{callId}/call", role: "supervisor")).Status);
        var notLoggedIn = await api.PostAsync("boris", $"/api/callbacks/{callId}/call");
        Assert.Equal(HttpStatusCode.Conflict, notLoggedIn.Status);
        Assert.Contains("not logged in to a position", notLoggedIn.Message);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync("aigerim", "/api/callbacks/no-such-call/call")).Status);
        Assert.Equal("open", (await TaskAsync(api, callId)).GetProperty("state").GetString());

        await api.LoginAsync("boris", "calltaker-2");
        var started = await api.PostAsync("boris", $"/api/callbacks/{callId}/call");
        Assert.True(started.Status == HttpStatusCode.Accepted, started.ToString());
        var callbackId = started.Body.GetProperty("callbackId").GetString()!;

        await WaitForTaskAsync(harness, api, callId, t => t.GetProperty("state").GetString() == "reached", "the caller reached");
        Assert.Equal("OnCall", await api.StateOfAsync("calltaker-2"));
        Assert.Contains(callbackId, harness.Asterisk.LiveBridgeIds);
        var originates = harness.Asterisk.Requests.Where(r => r.Method == "POST" && r.Path.EndsWith("/channels", StringComparison.Ordinal)).Select(r => Uri.UnescapeDataString(r.Query + r.Body)).ToList();
        var toCallTaker = Assert.Single(originates, o => o.Contains($"{callbackId}-calltaker", StringComparison.Ordinal));
        Assert.Contains("PJSIP/calltaker-2", toCallTaker);
        Assert.DoesNotContain("PJSIP_HEADER(add,Call-Info)", toCallTaker, StringComparison.Ordinal); // Device mode: the call-taker picks up
        var toCaller = Assert.Single(originates, o => o.Contains($"{callbackId}-caller", StringComparison.Ordinal));
        Assert.Contains($"PJSIP/{LostNumber}@pstn-callback", toCaller);
        Assert.Contains("\"112\" <112>", toCaller);
        var added = harness.Asterisk.Requests.Where(r => r.Path.Contains($"/bridges/{callbackId}/addChannel", StringComparison.Ordinal)).Select(r => Uri.UnescapeDataString(r.Query + r.Body)).ToList();
        Assert.Contains(added, a => a.Contains($"{callbackId}-calltaker", StringComparison.Ordinal));
        Assert.Contains(added, a => a.Contains($"{callbackId}-caller", StringComparison.Ordinal));

        // Someone else cannot end it; its call-taker can, and is then free again.
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync("aigerim", $"/api/callbacks/{callId}/hangup")).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsync("boris", $"/api/callbacks/{callId}/hangup")).Status);
        await harness.WaitUntilAsync(async () => (await api.StateOfAsync("calltaker-2")) == "Available", "calltaker-2 free again");
        await harness.WaitUntilAsync(() => !harness.Asterisk.LiveBridgeIds.Contains(callbackId), "the call back's bridge gone");
        Assert.DoesNotContain(harness.Asterisk.LiveChannelIds, id => id.StartsWith(callbackId, StringComparison.Ordinal));

        // The story, in order: every step written before it was acted on.
        await harness.WaitUntilAsync(async () => (await CallbackKindsAsync(harness, callId)).Contains("callback.ended"), "the end on the ledger");
        Assert.Equal(
            ["callback.required", "callback.attempted", "callback.ringing", "callback.calltaker.answered", "callback.dialing", "callback.reached", "callback.hangup.requested", "callback.ended"],
            await CallbackKindsAsync(harness, callId));
        var again = await api.PostAsync("boris", $"/api/callbacks/{callId}/call");
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Contains("already reached", again.Message);
    }

    public static TheoryData<string, string> Unreached => new()
    {
        { "busy", "busy" },
        { "noanswer", "no answer" },
    };

    [Theory]
    [MemberData(nameof(Unreached))]
    public async Task A_caller_who_does_not_pick_up_leaves_the_task_attempted_with_the_result_and_the_call_taker_free(string behavior, string result)
    {
        var (harness, api, callId) = await LostCallerAsync(options =>
            options.Trunks[$"{LostNumber}@pstn-callback"] = behavior == "busy" ? TrunkBehavior.Busy(TimeSpan.FromMilliseconds(50)) : TrunkBehavior.NoAnswer);
        await using var _ = harness;
        using var __ = api;
        await api.LoginAsync("boris", "calltaker-2");

        Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsync("boris", $"/api/callbacks/{callId}/call")).Status);

        var task = await WaitForTaskAsync(harness, api, callId, t => t.GetProperty("lastResult").ValueKind == JsonValueKind.String, "the attempt's result");
        Assert.Equal(("attempted", 1), (task.GetProperty("state").GetString(), task.GetProperty("attempts").GetInt32()));
        Assert.Contains($"{LostNumber}: {result}", task.GetProperty("lastResult").GetString());
        await harness.WaitUntilAsync(async () => (await api.StateOfAsync("calltaker-2")) == "Available", "calltaker-2 free again");
        await harness.WaitUntilAsync(() => !harness.Asterisk.LiveChannelIds.Any(id => id.StartsWith("callback-", StringComparison.Ordinal)), "both legs gone");
        Assert.Equal(["callback.required", "callback.attempted", "callback.ringing", "callback.calltaker.answered", "callback.dialing", "callback.not-reached"],
            await CallbackKindsAsync(harness, callId));

        // A new attempt is allowed: the task is still owed.
        Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsync("boris", $"/api/callbacks/{callId}/call")).Status);
        await WaitForTaskAsync(harness, api, callId, t => t.GetProperty("attempts").GetInt32() == 2, "the second attempt");
    }

    [Fact]
    public async Task In_console_mode_the_call_takers_phone_is_asked_to_answer_the_call_back_by_itself_as_it_is_for_offers()
    {
        // Nobody at calltaker-2's desk picks up: only the INVITE's auto-answer headers can get its phone to answer.
        var (harness, api, callId) = await LostCallerAsync(
            options => options.CallTakers["calltaker-2"] = CallTakerBehavior.Ignores,
            new Dictionary<string, string?> { ["Centre:Positions:calltaker-2:OfferMode"] = "Console" });
        await using var _ = harness;
        using var __ = api;
        await api.LoginAsync("boris", "calltaker-2");

        var started = await api.PostAsync("boris", $"/api/callbacks/{callId}/call");
        Assert.True(started.Status == HttpStatusCode.Accepted, started.ToString());
        var callbackId = started.Body.GetProperty("callbackId").GetString()!;

        await WaitForTaskAsync(harness, api, callId, t => t.GetProperty("state").GetString() == "reached", "the caller reached");
        var toCallTaker = Assert.Single(
            harness.Asterisk.Requests.Where(r => r.Method == "POST" && r.Path.EndsWith("/channels", StringComparison.Ordinal)).Select(r => Uri.UnescapeDataString(r.Query + r.Body)),
            o => o.Contains($"{callbackId}-calltaker", StringComparison.Ordinal));
        Assert.Contains("PJSIP_HEADER(add,Call-Info)", toCallTaker, StringComparison.Ordinal);
        Assert.Contains("answer-after=0", toCallTaker, StringComparison.Ordinal);
        Assert.Contains("PJSIP_HEADER(add,Alert-Info)", toCallTaker, StringComparison.Ordinal);

        // The caller's leg goes to the carrier: no call-taker's headers there.
        var toCaller = Assert.Single(
            harness.Asterisk.Requests.Where(r => r.Method == "POST" && r.Path.EndsWith("/channels", StringComparison.Ordinal)).Select(r => Uri.UnescapeDataString(r.Query + r.Body)),
            o => o.Contains($"{callbackId}-caller", StringComparison.Ordinal));
        Assert.DoesNotContain("PJSIP_HEADER(add,Call-Info)", toCaller, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> EngineAttempts(string offerMode) => new()
    {
        ["Centre:Positions:calltaker-2:OfferMode"] = offerMode,
        ["Callbacks:AutoAttempt"] = "true",
        ["Callbacks:AttemptAfter"] = "00:00:00",
        ["Callbacks:PollInterval"] = "00:00:00.200",
        ["Callbacks:CallTakerRingTimeout"] = "00:00:01",
    };

    [Fact]
    public async Task The_engines_own_call_back_rings_a_console_mode_phone_to_be_picked_up_by_hand_and_with_nobody_there_the_caller_is_never_dialled()
    {
        // Nobody at calltaker-2's desk: only auto-answer headers could get its phone to answer, and the engine must not send them.
        var (harness, api, callId) = await LostCallerAsync(options => options.CallTakers["calltaker-2"] = CallTakerBehavior.Ignores, EngineAttempts("Console"));
        await using var _ = harness;
        using var __ = api;
        await api.LoginAsync("boris", "calltaker-2");

        var task = await WaitForTaskAsync(harness, api, callId, t => t.GetProperty("lastResult").ValueKind == JsonValueKind.String, "the engine's attempt's result");
        Assert.Equal(("attempted", 1), (task.GetProperty("state").GetString(), task.GetProperty("attempts").GetInt32()));
        Assert.Contains("calltaker-2's phone did not answer", task.GetProperty("lastResult").GetString());
        var originates = harness.Asterisk.Requests.Where(r => r.Method == "POST" && r.Path.EndsWith("/channels", StringComparison.Ordinal)).Select(r => Uri.UnescapeDataString(r.Query + r.Body)).ToList();
        var toCallTaker = Assert.Single(originates, o => o.Contains("-calltaker", StringComparison.Ordinal) && o.Contains("callback-", StringComparison.Ordinal));
        Assert.DoesNotContain("PJSIP_HEADER(add,Call-Info)", toCallTaker, StringComparison.Ordinal);
        Assert.DoesNotContain(originates, o => o.Contains("pstn-callback", StringComparison.Ordinal));
        Assert.Equal(["callback.required", "callback.attempted", "callback.ringing", "callback.not-reached"], await CallbackKindsAsync(harness, callId));
        var ringing = (await harness.Engine.Ledger.GetCallAsync(callId, CancellationToken.None))!.Events.Single(e => e.Event.Kind == "callback.ringing");
        Assert.Contains("to be answered by hand (no auto-answer)", ringing.Event.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_engines_own_call_back_reaches_the_caller_once_the_console_mode_call_taker_picks_up()
    {
        var (harness, api, callId) = await LostCallerAsync(settings: EngineAttempts("Console"));
        await using var _ = harness;
        using var __ = api;
        await api.LoginAsync("boris", "calltaker-2");

        await WaitForTaskAsync(harness, api, callId, t => t.GetProperty("state").GetString() == "reached", "the caller reached");
        Assert.Equal("OnCall", await api.StateOfAsync("calltaker-2"));
        var toCallTaker = Assert.Single(
            harness.Asterisk.Requests.Where(r => r.Method == "POST" && r.Path.EndsWith("/channels", StringComparison.Ordinal)).Select(r => Uri.UnescapeDataString(r.Query + r.Body)),
            o => o.Contains("-calltaker", StringComparison.Ordinal) && o.Contains("callback-", StringComparison.Ordinal));
        Assert.DoesNotContain("PJSIP_HEADER(add,Call-Info)", toCallTaker, StringComparison.Ordinal);
    }

    [Fact]
    public void A_caller_number_that_is_not_a_phone_number_is_never_put_into_a_dial_string()
    {
        Assert.Null(Callbacks.CallbackNumber.Check("+77011234567"));
        Assert.Contains("not a phone number", Callbacks.CallbackNumber.Check("123&Local/x@y"));
        Assert.Contains("unknown", Callbacks.CallbackNumber.Check(""));
    }
}
