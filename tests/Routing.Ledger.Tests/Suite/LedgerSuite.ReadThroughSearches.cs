using Routing.Calls.Callbacks;
using Routing.Calls.Ports;
using Routing.Ledger.Tests.Support;

namespace Routing.Ledger.Tests.Suite;

/// <summary>
/// What people are shown reads the spool too: while the database is away, a repeat caller's earlier call is on
/// the call card, the history search finds the calls of the outage by number, agency and outcome, and the board
/// counts their outcomes and callback tasks — each once, before and after the database takes them.
/// </summary>
public abstract partial class LedgerSuite
{
    [LedgerFact]
    public async Task Searches_recent_calls_counts_and_callback_events_tell_what_the_spool_holds_once()
    {
        var ledger = await OpenSpooledAsync();
        var reader = ledger.Reader;
        var earlier = Call("earlier-in-database", second: 1);
        await ledger.Journal.CallArrivedAsync(earlier, CancellationToken.None);
        await AllWrittenAsync(ledger);

        var repeat = Call("repeat-in-spool", second: 2) with { CallerNumber = "+77019998877" };
        await using (await Database.StallWritesAsync())
        {
            // The earlier call's leg and outcome, and the whole repeat call, reach only the spool.
            await ledger.Journal.LegPlannedAsync(Leg(earlier.CallId, "leg-earlier"), CancellationToken.None);
            await ledger.Journal.AppendAsync(Outcome(earlier.CallId, "Completed", second: 40), CancellationToken.None);
            await ledger.Journal.CallArrivedAsync(repeat, CancellationToken.None);
            await ledger.Journal.AppendAsync(Event(repeat.CallId, CallbackEventKinds.Required, "abandoned", second: 41), CancellationToken.None);
            await ledger.Journal.AppendAsync(Outcome(repeat.CallId, "AbandonedInQueue", second: 42), CancellationToken.None);
            Assert.True(ledger.Journal.Stats.Spooled >= 5, $"the records did not go to the spool: {ledger.Journal.Stats}");

            await AssertSearchesToldOnceAsync(reader, earlier, repeat);
        }

        await AllWrittenAsync(ledger);
        await AssertSearchesToldOnceAsync(reader, earlier, repeat);
    }

    private static async Task AssertSearchesToldOnceAsync(LedgerReader reader, CallRecord earlier, CallRecord repeat)
    {
        var none = CancellationToken.None;
        var byNumber = Assert.Single(await reader.SearchCallsAsync(new CallSearch(Number: "9998877"), 20, none));
        Assert.Equal((repeat.CallId, "AbandonedInQueue"), (byNumber.Call.CallId, byNumber.Outcome));

        // The database has the earlier call, the spool its leg and outcome: the summary is the two together.
        var completed = Assert.Single(await reader.SearchCallsAsync(new CallSearch(Outcome: "Completed"), 20, none));
        Assert.Equal((earlier.CallId, "fire"), (completed.Call.CallId, Assert.Single(completed.Agencies)));
        Assert.Equal([earlier.CallId], (await reader.SearchCallsAsync(new CallSearch(Agency: "fire"), 20, none)).Select(s => s.Call.CallId));
        Assert.Equal([repeat.CallId, earlier.CallId], (await reader.SearchCallsAsync(new CallSearch(), 20, none)).Select(s => s.Call.CallId));
        Assert.Equal([repeat.CallId], (await reader.SearchCallsAsync(new CallSearch(), 1, none)).Select(s => s.Call.CallId));
        Assert.Empty(await reader.SearchCallsAsync(new CallSearch(Number: "9998877", To: repeat.ArrivedAt), 20, none));

        Assert.Equal([repeat.CallId, earlier.CallId], (await reader.RecentCallsAsync(5, none)).Select(c => c.Call.CallId));
        var counts = await reader.CountOutcomesAsync(T0, none);
        Assert.Equal((1L, 1L, 2), (counts["Completed"], counts["AbandonedInQueue"], counts.Count));
        var tasks = await reader.EventsOfKindsSinceAsync(CallbackEventKinds.All.ToArray(), T0, 10, none);
        Assert.Equal([repeat.CallId], tasks.Select(e => e.Event.CallId));
    }
}
