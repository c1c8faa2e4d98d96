using System.Net;
using System.Text.Json;
using Routing.Engine.Hosting;
using Routing.Simulator;

namespace Routing.Engine.Tests.Console;

/// <summary>
/// The supervisor's wallboard across a restart: an engine started again on the same ledger in the middle of
/// a shift (crash, upgrade) shows the same service levels, calls per minute and trunk failures as before,
/// read back from the ledger. Real engine, simulated Asterisk, SQLite ledger; every wait a bounded poll.
/// </summary>
public sealed class WallboardRestartTests
{
    private static readonly TimeSpan Talking = TimeSpan.FromMinutes(5); // callers stay until the call-taker hangs up

    [Fact]
    public async Task An_engine_restarted_on_the_same_ledger_shows_the_same_service_levels_minutes_and_trunk_failures()
    {
        var settings = new Dictionary<string, string?>
        {
            [EngineConfiguration.CentreEnabledKey] = "true",
            ["Centre:WrapUp"] = "00:00:00",
            ["Centre:OfferTimeout"] = "00:00:02",
            ["Centre:AnnounceInterval"] = "00:10:00",
            ["Centre:Groups:almaty:MaxWait"] = "00:10:00",
            ["Centre:Groups:national:MaxWait"] = "00:10:00",
            ["Routing:Operators:QueueTimeout"] = "00:30:00",
        };
        await using var harness = await EngineHarness.StartAsync(sim => sim.CallTakers["calltaker-1"] = CallTakerBehavior.AnswersAfter(TimeSpan.FromMilliseconds(20)), settings);
        var routing = harness.Configuration.Routing;
        foreach (var trunk in routing.Regions.Values.SelectMany(r => r.Trunks.TryGetValue("police", out var t) ? t : [])
            .Concat(routing.NationalFallback.TryGetValue("police", out var n) ? n : []))
        {
            harness.Asterisk.SetTrunk(trunk.Endpoint[(trunk.Endpoint.IndexOf('/') + 1)..], TrunkBehavior.Busy(TimeSpan.FromMilliseconds(10)));
        }

        using (var api = new OperatorClient(harness.AdminUrl))
        {
            await harness.WaitUntilAsync(async () => (await CallTakerAsync(api, "calltaker-1")).GetProperty("reachable").GetBoolean(), "calltaker-1's phone reachable");
            await api.LoginAsync("aigerim", "calltaker-1");

            // Two callers answered by the call-taker; the first one's transfer to the police fails on every (busy) trunk.
            for (var n = 0; n < 2; n++)
            {
                await harness.Asterisk.PlaceCallAsync(new CallScript($"+7727000010{n}", "112", HangUpAfter: Talking), CancellationToken.None);
                string? callId = null;
                await harness.WaitUntilAsync(async () => await CallTakerAsync(api, "calltaker-1") is var c && c.GetProperty("state").GetString() == "OnCall"
                    && (callId = c.GetProperty("callId").GetString()) is not null, $"calltaker-1 on caller {n}'s call");
                if (n == 0)
                {
                    Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsync("aigerim", $"/api/calls/{callId}/transfer", new { agency = "police" })).Status);
                    await harness.WaitUntilAsync(async () => (await api.GetAsync("aigerim", $"/api/calls/{callId}")).Body is var card
                        && card.TryGetProperty("transfer", out var t) && t.ValueKind == JsonValueKind.Object && t.GetProperty("state").GetString() == "failed",
                        "the transfer to fail on every police trunk");
                }

                var classified = await api.PostAsync("aigerim", $"/api/calls/{callId}/classify", new { kind = "nonEmergency", note = "asked for a taxi number" });
                Assert.True(classified.Status == HttpStatusCode.Accepted, classified.ToString());
                var hungUp = await api.PostAsync("aigerim", $"/api/calls/{callId}/hangup", new { reason = "not an emergency" });
                Assert.True(hungUp.Status == HttpStatusCode.Accepted, hungUp.ToString());
                await harness.WaitUntilAsync(() => !harness.Engine.Calls.TryGetByCallId(callId!, out _), $"caller {n}'s call to end");
            }
        }

        await harness.LedgerCaughtUpAsync();
        var before = await WallboardAsync(harness);
        Assert.Equal(2, before.Levels["shift"].GetProperty("answered").GetInt32());
        Assert.Equal(2, before.Minutes.Values.Sum(m => m.Calls));
        Assert.NotEmpty(before.Trunks);

        await harness.RestartEngineAsync();
        var after = await WallboardAsync(harness, seeded: true);

        foreach (var window in new[] { "15m", "1h", "shift" })
        {
            Assert.Equal(before.Levels[window].ToString(), after.Levels[window].ToString());
        }

        Assert.Equal(before.Minutes, after.Minutes);
        Assert.Equal(before.Trunks, after.Trunks);
        Assert.True(after.ShiftStart >= before.ShiftStart && after.ShiftStart <= before.Minutes.Keys.Min().AddMinutes(1),
            $"shift starts at {after.ShiftStart:o}, the first engine started at {before.ShiftStart:o}");
    }

    private static async Task<JsonElement> CallTakerAsync(OperatorClient api, string position) =>
        (await api.CentreAsync()).GetProperty("callTakers").EnumerateArray().First(c => c.GetProperty("position").GetString() == position);

    private sealed record Board(
        Dictionary<string, JsonElement> Levels,
        Dictionary<DateTimeOffset, (int Calls, double LongestWait)> Minutes,
        List<(string Trunk, int Failures, string LastReason)> Trunks,
        DateTimeOffset ShiftStart);

    /// <summary>The wallboard once its history is read back from the ledger; minutes with nothing in them are left out
    /// (which 60 minutes are shown moves with the clock).</summary>
    private static async Task<Board> WallboardAsync(EngineHarness harness, bool seeded = false)
    {
        using var api = new OperatorClient(harness.AdminUrl);
        JsonElement board = default;
        await harness.WaitUntilAsync(async () =>
        {
            board = (await api.GetAsync("boss", "/api/wallboard", "supervisor")).Body;
            return board.GetProperty("history").GetString() == "seeded";
        }, $"the wallboard's history read from the ledger{(seeded ? " after the restart" : "")}");
        return new Board(
            board.GetProperty("serviceLevels").EnumerateArray().ToDictionary(l => l.GetProperty("window").GetString()!),
            board.GetProperty("minutes").EnumerateArray()
                .Where(m => m.GetProperty("calls").GetInt32() > 0 || m.GetProperty("longestWait").GetDouble() > 0)
                .ToDictionary(m => m.GetProperty("minute").GetDateTimeOffset(), m => (m.GetProperty("calls").GetInt32(), m.GetProperty("longestWait").GetDouble())),
            board.GetProperty("trunkFailures").EnumerateArray()
                .Select(t => (t.GetProperty("trunk").GetString()!, t.GetProperty("failures").GetInt32(), t.GetProperty("lastReason").GetString()!)).ToList(),
            board.GetProperty("shiftStart").GetDateTimeOffset());
    }
}
