using Routing.Ledger.Tests.Support;

namespace Routing.Ledger.Tests.Suite;

public abstract partial class LedgerSuite
{
    [LedgerFact]
    public async Task Open_calls_are_those_without_an_outcome()
    {
        var ledger = await OpenAsync();
        var journal = ledger.Journal;
        await journal.CallArrivedAsync(Call("a-completed", 1), CancellationToken.None);
        await journal.CallArrivedAsync(Call("b-still-ringing", 2), CancellationToken.None);
        await journal.CallArrivedAsync(Call("c-abandoned", 3), CancellationToken.None);
        await journal.CallArrivedAsync(Call("d-just-in", 4), CancellationToken.None);
        await journal.AppendAsync(Event("b-still-ringing", "leg.ringing", "fire-almaty-1"), CancellationToken.None);
        await journal.AppendAsync(Outcome("a-completed", "Completed"), CancellationToken.None);
        await journal.AppendAsync(Outcome("c-abandoned", "AbandonedInQueue"), CancellationToken.None);

        var open = await ledger.Reader.ListOpenCallsAsync(CancellationToken.None);

        Assert.Equal(["b-still-ringing", "d-just-in"], open.Select(c => c.Call.CallId));
        Assert.True((await ledger.Reader.GetCallAsync("b-still-ringing", CancellationToken.None))!.IsOpen);
    }

    [LedgerFact]
    public async Task Outcomes_are_counted_by_name_from_a_point_in_time()
    {
        var ledger = await OpenAsync();
        string[] outcomes = ["Completed", "Completed", "FailedOver", "Completed", "AbandonedInIvr"];
        for (var i = 0; i < outcomes.Length; i++)
        {
            await ledger.Journal.CallArrivedAsync(Call($"call-{i}"), CancellationToken.None);
            await ledger.Journal.AppendAsync(Outcome($"call-{i}", outcomes[i], second: 100 + i), CancellationToken.None);
        }

        var all = await ledger.Reader.CountOutcomesAsync(T0, CancellationToken.None);
        var lastTwo = await ledger.Reader.CountOutcomesAsync(T0.AddSeconds(103), CancellationToken.None);

        Assert.Equal(new Dictionary<string, long> { ["Completed"] = 3, ["FailedOver"] = 1, ["AbandonedInIvr"] = 1 }, all);
        Assert.Equal(new Dictionary<string, long> { ["Completed"] = 1, ["AbandonedInIvr"] = 1 }, lastTwo);
        Assert.Empty(await ledger.Reader.CountOutcomesAsync(T0.AddHours(1), CancellationToken.None));
    }

    [LedgerFact]
    public async Task Recent_calls_come_newest_first_and_a_caller_channel_finds_its_call()
    {
        var ledger = await OpenAsync();
        for (var i = 0; i < 5; i++)
        {
            await ledger.Journal.CallArrivedAsync(Call($"call-{i}", second: i, callerChannelId: $"1732417200.{i}"), CancellationToken.None);
        }

        var recent = await ledger.Reader.RecentCallsAsync(3, CancellationToken.None);
        var found = await ledger.Reader.FindByCallerChannelAsync("1732417200.2", CancellationToken.None);

        Assert.Equal(["call-4", "call-3", "call-2"], recent.Select(c => c.Call.CallId));
        Assert.Equal("call-2", Assert.Single(found).Call.CallId);
        Assert.Empty(await ledger.Reader.FindByCallerChannelAsync("1732417200.99", CancellationToken.None));
        Assert.Null(await ledger.Reader.GetCallAsync("never-recorded", CancellationToken.None));
    }

    [LedgerFact]
    public async Task Event_facts_are_one_kind_in_a_time_window_with_a_detail_prefix_newest_kept_oldest_first()
    {
        var ledger = await OpenAsync();
        for (var i = 0; i < 6; i++)
        {
            await ledger.Journal.CallArrivedAsync(Call($"call-{i}", second: i), CancellationToken.None);
            await ledger.Journal.AppendAsync(Event($"call-{i}", "state", "Arrived -> Answered", second: 10 + i), CancellationToken.None);
            await ledger.Journal.AppendAsync(Event($"call-{i}", "state", "Answered -> Ivr", second: 20 + i), CancellationToken.None);
            await ledger.Journal.AppendAsync(Event($"call-{i}", "leg.failed", $"fire-almaty-{i}: busy", second: 30 + i), CancellationToken.None);
        }

        await AllWrittenAsync(ledger);
        var reader = ledger.Reader;

        // [11 s, 15 s): calls 1 to 4 arrived in it; "Answered -> Ivr" and the leg failures are other facts.
        var arrivals = await reader.EventFactsAsync("state", "Arrived -> ", T0.AddSeconds(11), T0.AddSeconds(15), 10, CancellationToken.None);
        var newestTwo = await reader.EventFactsAsync("state", "Arrived -> ", T0, T0.AddHours(1), 2, CancellationToken.None);
        var failures = await reader.EventFactsAsync("leg.failed", null, T0, T0.AddHours(1), 100, CancellationToken.None);

        Assert.Equal([11, 12, 13, 14], arrivals.Select(f => (int)(f.At - T0).TotalSeconds));
        Assert.All(arrivals, f => Assert.Equal("Arrived -> Answered", f.Detail));
        Assert.Equal(T0.AddSeconds(11).AddTicks(40), arrivals[0].At);
        Assert.Equal([14, 15], newestTwo.Select(f => (int)(f.At - T0).TotalSeconds));
        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"fire-almaty-{i}: busy"), failures.Select(f => f.Detail));
        Assert.Empty(await reader.EventFactsAsync("queue.answered", null, T0, T0.AddHours(1), 10, CancellationToken.None));
    }

    [LedgerFact]
    public async Task An_event_fact_prefix_with_a_like_wildcard_is_refused_naming_it()
    {
        var ledger = await OpenAsync();

        var refused = await Assert.ThrowsAsync<ArgumentException>(() =>
            ledger.Reader.EventFactsAsync("state", "Arrived%", T0, T0.AddHours(1), 10, CancellationToken.None));

        Assert.Contains("Arrived%", refused.Message);
    }

    [LedgerFact]
    public async Task Event_span_facts_are_one_kind_of_calls_without_the_newer_kind_timed_from_their_first_earlier_event_or_arrival()
    {
        var ledger = await OpenAsync();
        var journal = ledger.Journal;
        // Written before queue.answered existed: entered the queue at 5 s, a call-taker joined at 17 s.
        await journal.CallArrivedAsync(Call("old"), CancellationToken.None);
        await journal.AppendAsync(Event("old", "queue.entered", "region almaty", second: 5), CancellationToken.None);
        await journal.AppendAsync(Event("old", "calltaker.joined", "calltaker-1 (aigerim) after 00:00:17", second: 17), CancellationToken.None);
        // Written after: its answer is its queue.answered, the join is not a second one.
        await journal.CallArrivedAsync(Call("new", second: 1), CancellationToken.None);
        await journal.AppendAsync(Event("new", "queue.entered", "region almaty", second: 6), CancellationToken.None);
        await journal.AppendAsync(Event("new", "queue.answered", "calltaker-2 after 14.000 s", second: 20), CancellationToken.None);
        await journal.AppendAsync(Event("new", "calltaker.joined", "calltaker-2 (dana) after 00:00:19", second: 20), CancellationToken.None);
        // Never entered the queue on record: timed from its arrival.
        await journal.CallArrivedAsync(Call("unqueued", second: 2), CancellationToken.None);
        await journal.AppendAsync(Event("unqueued", "calltaker.joined", "calltaker-3 (arman) after 00:00:28", second: 30), CancellationToken.None);
        // Requeued and answered again: both joins, each from the first time it entered the queue.
        await journal.CallArrivedAsync(Call("requeued", second: 3), CancellationToken.None);
        await journal.AppendAsync(Event("requeued", "queue.entered", "region almaty", second: 8), CancellationToken.None);
        await journal.AppendAsync(Event("requeued", "calltaker.joined", "calltaker-1 (aigerim) after 00:00:09", second: 12), CancellationToken.None);
        await journal.AppendAsync(Event("requeued", "queue.entered", "region almaty", second: 40), CancellationToken.None);
        await journal.AppendAsync(Event("requeued", "calltaker.joined", "calltaker-2 (dana) after 00:00:47", second: 50), CancellationToken.None);
        await AllWrittenAsync(ledger);

        var facts = await ledger.Reader.EventSpanFactsAsync("calltaker.joined", "queue.entered", "queue.answered", T0, T0.AddSeconds(45), 10, CancellationToken.None);
        var newestTwo = await ledger.Reader.EventSpanFactsAsync("calltaker.joined", "queue.entered", "queue.answered", T0, T0.AddHours(1), 2, CancellationToken.None);

        Assert.Equal(
            [(12, 8.0), (17, 5.0), (30, 2.0)],
            facts.Select(f => ((int)(f.At - T0).TotalSeconds, Math.Floor((f.Since!.Value - T0).TotalSeconds))));
        Assert.Equal(T0.AddSeconds(17).AddTicks(40), facts[1].At);
        Assert.Equal(T0.AddSeconds(5).AddTicks(40), facts[1].Since);
        Assert.Equal(Call("unqueued", second: 2).ArrivedAt, facts[2].Since);
        Assert.Equal("calltaker-1 (aigerim) after 00:00:17", facts[1].Detail);
        Assert.Equal([30, 50], newestTwo.Select(f => (int)(f.At - T0).TotalSeconds));
        Assert.Equal(T0.AddSeconds(8).AddTicks(40), newestTwo[1].Since);
    }
}
