using System.Net;
using Routing.Engine.Hosting;
using Routing.Simulator;

namespace Routing.Engine.Tests;

/// <summary>
/// Console-mode accept (Centre:OfferMode / Centre:Positions:&lt;id&gt;:OfferMode = Console): the offer's INVITE
/// asks the phone to answer by itself, the engine holds the answered phone silent, and only the call-taker's
/// accept in the console puts the caller through. The simulated phone here would never be picked up by hand.
/// </summary>
public sealed class ConsoleAcceptTests
{
    private static async Task<(EngineHarness Harness, OperatorClient Api)> StartAsync(string offerTimeout)
    {
        var harness = await EngineHarness.StartAsync(
            options =>
            {
                options.CallTakers["calltaker-1"] = CallTakerBehavior.Ignores;
                options.CallTakers["calltaker-2"] = CallTakerBehavior.AnswersAfter(TimeSpan.FromMilliseconds(20));
            },
            new Dictionary<string, string?>
            {
                [EngineConfiguration.CentreEnabledKey] = "true",
                ["Centre:Positions:calltaker-1:OfferMode"] = "Console",
                ["Centre:OfferTimeout"] = offerTimeout,
                ["Centre:WrapUp"] = "00:00:00",
                ["Centre:AnnounceInterval"] = "00:10:00",
                ["Centre:Groups:almaty:MaxWait"] = "00:10:00",
                ["Centre:Groups:national:MaxWait"] = "00:10:00",
                ["Routing:Operators:QueueTimeout"] = "00:30:00",
            });
        var api = new OperatorClient(harness.AdminUrl);
        await harness.WaitUntilAsync(async () => (await api.CentreAsync()).GetProperty("callTakers").EnumerateArray()
            .Count(c => c.GetProperty("reachable").GetBoolean()) >= 2, "both phones registered");
        return (harness, api);
    }

    private static async Task<List<string>> KindsAsync(EngineHarness harness, string callId)
    {
        await harness.LedgerCaughtUpAsync();
        return (await harness.Engine.Ledger.GetCallAsync(callId, CancellationToken.None))?.Events.Select(e => e.Event.Kind).ToList() ?? [];
    }

    [Fact]
    public async Task The_phone_answers_by_itself_and_the_caller_is_put_through_only_when_the_call_taker_accepts_in_the_console()
    {
        var (harness, api) = await StartAsync("00:00:30");
        await using var _ = harness;
        using var __ = api;
        await api.LoginAsync("aigerim", "calltaker-1");
        var caller = await harness.Asterisk.PlaceCallAsync(new CallScript("+77270000031", "112", HangUpAfter: TimeSpan.FromMinutes(5)), CancellationToken.None);
        string? callId = null;
        await harness.WaitUntilAsync(() => (callId = harness.Engine.Calls.Active.FirstOrDefault(c => c.CallerChannelId == caller.ChannelId)?.CallId) is not null, "the call");
        await harness.WaitUntilAsync(async () => (await KindsAsync(harness, callId!)).Contains("offer.device.answered"), "the phone answering by itself");

        // Answered by the phone is not accepted by the person: still Offered, and the INVITE asked for auto-answer.
        Assert.Equal("Offered", await api.StateOfAsync("calltaker-1"));
        var invite = Uri.UnescapeDataString(string.Join("\n", harness.Asterisk.Requests
            .Where(r => r.Method == "POST" && r.Path.EndsWith("/channels", StringComparison.Ordinal)).Select(r => r.Query + r.Body)
            .Where(r => r.Contains("calltaker-1", StringComparison.Ordinal))));
        Assert.Contains("PJSIP_HEADER(add,Call-Info)", invite);
        Assert.Contains("answer-after=0", invite);

        // Refusals change nothing.
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync("boss", "/api/calltakers/calltaker-1/accept", new { callId }, "supervisor")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync("boris", "/api/calltakers/calltaker-1/accept", new { callId })).Status);
        await api.LoginAsync("boris", "calltaker-2");
        var deviceMode = await api.PostAsync("boris", "/api/calltakers/calltaker-2/accept", new { callId });
        Assert.Equal((HttpStatusCode.Conflict, "calltaker-2 accepts a call by answering its phone (Centre:OfferMode is Device)"), (deviceMode.Status, deviceMode.Message));
        Assert.Equal("Offered", await api.StateOfAsync("calltaker-1"));

        var accepted = await api.PostAsync("aigerim", "/api/calltakers/calltaker-1/accept", new { callId });
        Assert.True(accepted.Status == HttpStatusCode.OK, accepted.ToString());
        await harness.WaitUntilAsync(async () => (await api.StateOfAsync("calltaker-1")) == "OnCall", "calltaker-1 on the call");
        // The centre shows OnCall as soon as it decided; the call writes calltaker.joined when it takes the leg, a moment later.
        await harness.WaitUntilAsync(async () => (await KindsAsync(harness, callId!)).Contains("calltaker.joined"), "calltaker.joined on the ledger");
        var kinds = await KindsAsync(harness, callId!);
        Assert.True(kinds.IndexOf("offer.accepted") < kinds.IndexOf("calltaker.joined"), string.Join(", ", kinds));
        Assert.False(caller.Ended.IsCompleted);

        var again = await api.PostAsync("aigerim", "/api/calltakers/calltaker-1/accept", new { callId });
        Assert.Equal((HttpStatusCode.Conflict, "calltaker-1 is OnCall; accept is allowed in Offered"), (again.Status, again.Message));
    }

    [Fact]
    public async Task An_offer_not_accepted_in_the_console_in_time_is_withdrawn_and_the_position_paused_although_the_phone_answered()
    {
        var (harness, api) = await StartAsync("00:00:01");
        await using var _ = harness;
        using var __ = api;
        await api.LoginAsync("aigerim", "calltaker-1");
        await harness.Asterisk.PlaceCallAsync(new CallScript("+77270000032", "112", HangUpAfter: TimeSpan.FromMinutes(5)), CancellationToken.None);

        await harness.WaitUntilAsync(async () => (await api.StateOfAsync("calltaker-1")) == "Paused", "calltaker-1 paused for no answer");
        await harness.WaitUntilAsync(() => harness.Asterisk.CallTakers["calltaker-1"].ChannelIds.Count == 0, "the auto-answered phone released");
        Assert.Equal("no answer", (await api.CentreAsync()).GetProperty("callTakers").EnumerateArray()
            .First(c => c.GetProperty("position").GetString() == "calltaker-1").GetProperty("pauseReason").GetString());
    }
}
