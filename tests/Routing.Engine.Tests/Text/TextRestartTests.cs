using Microsoft.Extensions.Logging.Abstractions;
using Routing.Calls.Ports;
using Routing.Engine.Hosting;
using Routing.Ledger;
using Routing.Simulator;

namespace Routing.Engine.Tests.Text;

/// <summary>
/// A text conversation outlives the engine: a clean stop leaves an open session open (it has not ended), the next
/// engine takes it back from the ledger and the caller's next message joins it; it ends with exactly one outcome when
/// it really ends. A session whose engine came back too late ends with the outcome idleness gives it, and an engine
/// that reads no texts closes an earlier run's session as it stood — never "lost during outage" with a call back.
/// </summary>
public sealed class TextRestartTests
{
    private static readonly DateTimeOffset LongAgo = DateTimeOffset.UtcNow.AddHours(-2);

    [Fact]
    public async Task A_session_a_call_taker_held_survives_a_clean_restart_goes_back_to_the_queue_and_the_callers_next_message_joins_it()
    {
        await using var text = await TextHarness.StartAsync();
        text.Write("Помогите, сосед угрожает ножом");
        var id = await text.WaitForSessionAsync(s => s.GetProperty("number").GetString() == TextHarness.Caller, "the caller's session");
        await text.WaitOfferedAsync(id);
        await text.AcceptedAsync(id, "accept");
        await text.AcceptedAsync(id, "reply", new { text = "Где вы?" });
        await text.AcceptedAsync(id, "classify", new { kind = "nonemergency" });
        await text.Harness.LedgerCaughtUpAsync();

        await text.RestartEngineAsync();

        // Before: the stop left no outcome and the next engine's recovery called the text caller "gone"
        // (LostDuringOutage, callback.required) while the conversation could have gone on.
        await text.WaitUntilAsync("the session taken back and queued again", async () =>
            (await text.StoryAsync(id)).Any(e => e.Kind == "text.requeued"));
        // Nobody has logged in to the new engine yet: the centre gives the session to the fallback agency's desk at once,
        // as it would a new one, and the conversation goes on there.
        await text.WaitForStateAsync(id, "WithAgency");
        text.Write("Я в ванной, он за дверью");
        await text.WaitUntilAsync("the caller's next message at the police desk", () => Task.FromResult(
            text.SentTo("pjsip:police-text").Any(m => m.Body.EndsWith("caller: Я в ванной, он за дверью", StringComparison.Ordinal))));

        var story = await text.StoryAsync(id);
        Assert.DoesNotContain(story, e => e.Kind is "outcome" or "callback.required" or "recovered");
        Assert.Contains(story, e => e.Kind == "text.adopted" && e.Detail.Contains("with calltaker-1", StringComparison.Ordinal));
        // #2 the reply, then after the restart #3 the copy to the police desk and #4 the notice to the caller.
        Assert.Equal(["#1: Помогите, сосед угрожает ножом", "#5: Я в ванной, он за дверью"], story.Where(e => e.Kind == "text.in").Select(e => e.Detail));
        var transcript = string.Join("\n", text.SentTo("pjsip:police-text").Select(m => m.Body));
        Assert.Contains("caller: Помогите, сосед угрожает ножом", transcript, StringComparison.Ordinal);
        Assert.Contains("112: Где вы?", transcript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_idle_past_the_timeout_when_the_engine_comes_back_ends_at_once_with_the_outcome_idleness_gives()
    {
        await using var harness = await EngineHarness.StartAsync(TextHarness.Simulator, TextHarness.Settings(), beforeEngine: async (_, configuration) =>
            await RecordOpenSessionAsync(configuration, "txt-idle", [("text.opened", "from +77271234567 at PJSIP/appgw, region almaty, language ru"), ("text.in", "#1: Помогите")]));

        var record = await WaitForOutcomeAsync(harness, "txt-idle");

        Assert.Equal("AbandonedInQueue", record.Outcome);
        Assert.Contains(record.Events, e => e.Contains("text.closed idle: no message for 00:10:00 (closed by the engine that came back)", StringComparison.Ordinal));
        Assert.DoesNotContain("callback.required", record.EventKinds);
    }

    [Fact]
    public async Task An_engine_that_reads_no_texts_closes_an_earlier_runs_session_as_it_stood_not_as_a_lost_caller()
    {
        // Handed to the police desk by the earlier run: the desk has it, the conversation was not lost.
        await using var harness = await EngineHarness.StartAsync(beforeEngine: async (_, configuration) =>
            await RecordOpenSessionAsync(configuration, "txt-desk", [
                ("text.opened", "from +77271234567 at PJSIP/app-messages, region almaty, language ru"),
                ("text.in", "#1: Помогите"),
                ("text.transferred", "to police (fallback: no-one-staffed)"),
            ]));

        var record = await WaitForOutcomeAsync(harness, "txt-desk");

        Assert.Equal("Completed", record.Outcome);
        Assert.Contains("recovered", record.EventKinds);
        Assert.DoesNotContain("callback.required", record.EventKinds);
    }

    private static async Task RecordOpenSessionAsync(EngineConfiguration configuration, string id, IReadOnlyList<(string Kind, string Detail)> events)
    {
        await using var ledger = await LedgerFactory.CreateAsync(configuration.Ledger, NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None);
        const string gateway = "app";
        var endpoint = events[0].Detail.Contains("appgw", StringComparison.Ordinal) ? "PJSIP/appgw" : "PJSIP/app-messages";
        await ledger.Journal.CallArrivedAsync(new CallRecord(id, $"text:{endpoint}", TextHarness.Caller, "112", $"text:{gateway}", LongAgo), CancellationToken.None);
        var at = LongAgo;
        foreach (var (kind, detail) in events)
        {
            await ledger.Journal.AppendAsync(new CallEventRecord(id, null, at, kind, detail), CancellationToken.None);
            at = at.AddSeconds(1);
        }
    }

    private static async Task<LedgerView> WaitForOutcomeAsync(EngineHarness harness, string id)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            await harness.LedgerCaughtUpAsync();
            if (await harness.Engine.Ledger.GetCallAsync(id, CancellationToken.None) is { IsOpen: false } history) return LedgerView.From(history);
            if (TimeProvider.System.GetElapsedTime(started) > EngineHarness.CallTimeout) throw new TimeoutException($"no outcome for {id} within {EngineHarness.CallTimeout}");
            await Task.Delay(50);
        }
    }
}
