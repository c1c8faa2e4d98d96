using Dapper;
using Routing.Calls.Callbacks;
using Routing.Ledger.Tests.Support;

namespace Routing.Ledger.Tests.Suite;

/// <summary>
/// Read after write across the database and the spool: a record is "written" once it is committed or
/// fsynced in the spool, so the reader tells it from that moment, whether or not the database has it yet
/// (a call's history, the calls of a caller channel, the open calls, the callback tasks), and it tells
/// it once, not again when the database takes it.
/// </summary>
public abstract partial class LedgerSuite
{
    [LedgerFact]
    public async Task What_the_spool_holds_is_read_back_as_written_and_read_once_when_the_database_has_it_too()
    {
        var ledger = await OpenSpooledAsync();
        var reader = ledger.Reader;
        var closedBefore = Call("closed-in-spool", second: 1);
        await ledger.Journal.CallArrivedAsync(closedBefore, CancellationToken.None);
        await ledger.Journal.AppendAsync(Event(closedBefore.CallId, CallbackEventKinds.Required, "lost"), CancellationToken.None);
        await AllWrittenAsync(ledger);

        var spooled = Call("only-in-spool", second: 2);
        var ended = Call("ended-in-spool", second: 3);
        await using (await Database.StallWritesAsync())
        {
            await ledger.Journal.AppendAsync(Event(closedBefore.CallId, LedgerEventKinds.Outcome, "LostDuringOutage", second: 2), CancellationToken.None);
            await ledger.Journal.AppendAsync(Event(closedBefore.CallId, CallbackEventKinds.Closed, "by ct-1: reached by other means", second: 3), CancellationToken.None);
            await ledger.Journal.CallArrivedAsync(spooled, CancellationToken.None);
            await ledger.Journal.LegPlannedAsync(Leg(spooled.CallId, "leg-spooled"), CancellationToken.None);
            await ledger.Journal.AppendAsync(Event(spooled.CallId, "state", "Arrived -> Dialing", second: 3), CancellationToken.None);
            await ledger.Journal.AppendAsync(Event(spooled.CallId, CallbackEventKinds.Required, "abandoned", second: 4), CancellationToken.None);
            await ledger.Journal.CallArrivedAsync(ended, CancellationToken.None);
            await ledger.Journal.AppendAsync(Event(ended.CallId, LedgerEventKinds.Outcome, "Completed", second: 4), CancellationToken.None);
            Assert.True(ledger.Journal.Stats.Spooled >= 7, $"the records did not go to the spool: {ledger.Journal.Stats}");

            await AssertToldOnceAsync(reader, closedBefore.CallId, spooled, ended.CallId);
        }

        await AllWrittenAsync(ledger);
        await AssertToldOnceAsync(reader, closedBefore.CallId, spooled, ended.CallId);
        await using var raw = await Database.OpenRawAsync();
        Assert.Equal(0L, await raw.ExecuteScalarAsync<long>("SELECT COUNT(*) - COUNT(DISTINCT event_id) FROM call_events"));
        Assert.Equal(6L, await raw.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM call_events"));
        var report = await VerifyAsync();
        Assert.True(report.Intact, string.Join("; ", report.Findings));
    }

    [LedgerFact]
    public async Task An_earlier_runs_spool_is_read_back_at_the_next_start_before_the_database_has_taken_it()
    {
        var first = await OpenSpooledAsync(o => o.ShutdownFlushTimeout = TimeSpan.FromMilliseconds(300));
        var call = Call("left-in-spool", second: 5);
        IAsyncDisposable? stall = await Database.StallWritesAsync();
        try
        {
            await first.Journal.CallArrivedAsync(call, CancellationToken.None);
            await first.Journal.AppendAsync(Event(call.CallId, CallbackEventKinds.Required, "lost while the engine was down", second: 6), CancellationToken.None);
            Assert.True(first.Journal.Stats.Spooled >= 2, first.Journal.Stats.ToString());
            await first.DisposeAsync();
            Assert.Equal(0, first.Journal.Stats.Abandoned);

            // The database still takes no write: the new run starts, its spool is not replayed yet.
            var second = await OpenSpooledAsync();
            Assert.Equal(2, second.Journal.Stats.Pending);

            Assert.Equal([call.CallId], (await second.Reader.ListOpenCallsAsync(CancellationToken.None)).Select(c => c.Call.CallId));
            Assert.Equal(call.CallId, Assert.Single(await second.Reader.FindByCallerChannelAsync(call.CallerChannelId, CancellationToken.None)).Call.CallId);
            var task = Assert.Single(await second.Reader.CallbackEventsAsync(true, null, CancellationToken.None));
            Assert.Equal((call.CallId, CallbackEventKinds.Required, call.CallerNumber), (task.CallId, task.Kind, task.CallerNumber));

            await stall.DisposeAsync();
            stall = null;
            await AllWrittenAsync(second);
            Assert.Single(await second.Reader.ListOpenCallsAsync(CancellationToken.None));
            Assert.Single(await second.Reader.CallbackEventsAsync(true, null, CancellationToken.None));
        }
        finally
        {
            if (stall is not null)
            {
                await stall.DisposeAsync();
            }
        }

        await using var raw = await Database.OpenRawAsync();
        Assert.Equal((1L, 1L), (await raw.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM calls"), await raw.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM call_events")));
        var report = await VerifyAsync();
        Assert.True(report.Intact, string.Join("; ", report.Findings));
    }

    private static async Task AssertToldOnceAsync(LedgerReader reader, string closedBefore, Routing.Calls.Ports.CallRecord spooled, string ended)
    {
        var history = await reader.GetCallAsync(spooled.CallId, CancellationToken.None);
        Assert.NotNull(history);
        Assert.Equal(spooled.CallerNumber, history.Call.Call.CallerNumber);
        Assert.Equal("leg-spooled", Assert.Single(history.Legs).Leg.LegId);
        Assert.Equal(["state", CallbackEventKinds.Required], history.Events.Select(e => e.Event.Kind));
        Assert.True(history.IsOpen);
        Assert.Equal(spooled.CallId, Assert.Single(await reader.FindByCallerChannelAsync(spooled.CallerChannelId, CancellationToken.None)).Call.CallId);

        // Open: the call only in the spool; not the one whose outcome is in the spool, nor the one closed there.
        Assert.Equal([spooled.CallId], (await reader.ListOpenCallsAsync(CancellationToken.None)).Select(c => c.Call.CallId));
        Assert.Equal([LedgerEventKinds.Outcome], (await reader.GetCallAsync(ended, CancellationToken.None))!.Events.Select(e => e.Event.Kind));
        Assert.Equal(
            [CallbackEventKinds.Required, CallbackEventKinds.Closed],
            (await reader.CallbackEventsAsync(false, closedBefore, CancellationToken.None)).Select(e => e.Kind));
        var open = await reader.CallbackEventsAsync(true, null, CancellationToken.None);
        Assert.Equal([(spooled.CallId, CallbackEventKinds.Required, spooled.CallerNumber)], open.Select(e => (e.CallId, e.Kind, e.CallerNumber)));
    }
}
