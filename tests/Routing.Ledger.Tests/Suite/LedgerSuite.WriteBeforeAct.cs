using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Time.Testing;
using Routing.Ledger.Tests.Support;

namespace Routing.Ledger.Tests.Suite;

public abstract partial class LedgerSuite
{
    [LedgerFact]
    public async Task A_stalled_database_holds_a_call_no_longer_than_the_bound_and_the_record_lands_later()
    {
        var ledger = await OpenAsync(o => o.WriteBeforeActTimeout = TimeSpan.FromMilliseconds(300));
        var call = Call("stalled");

        await using (await Database.StallWritesAsync())
        {
            var waited = Stopwatch.StartNew();
            await ledger.Journal.CallArrivedAsync(call, CancellationToken.None);
            waited.Stop();

            Assert.InRange(waited.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(3));
            Assert.Equal(1, ledger.Journal.Stats.Late);
            Assert.Equal(1, ledger.Journal.Stats.Pending);
            await using var raw = await Database.OpenRawAsync();
            Assert.Equal(0L, await raw.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM calls"));
            // The engine went on with it: its own reader tells it (read after write), from the journal.
            Assert.Equal(call, (await ledger.Reader.GetCallAsync(call.CallId, CancellationToken.None))!.Call.Call);
        }

        await AllWrittenAsync(ledger);
        Assert.Equal(call, (await ledger.Reader.GetCallAsync(call.CallId, CancellationToken.None))!.Call.Call);
        Assert.Equal(1, ledger.Journal.Stats.Written);
    }

    [LedgerFact]
    public async Task A_stalled_database_costs_a_call_one_bound_per_episode_not_one_per_record()
    {
        var ledger = await OpenAsync(o => o.WriteBeforeActTimeout = TimeSpan.FromMilliseconds(300));
        var call = Call("episode");
        var events = Enumerable.Range(1, 20).Select(i => Event(call.CallId, "state", $"step {i}", i)).ToList();

        await using (await Database.StallWritesAsync())
        {
            var waited = Stopwatch.StartNew();
            await ledger.Journal.CallArrivedAsync(call, CancellationToken.None);
            foreach (var callEvent in events)
            {
                await ledger.Journal.AppendAsync(callEvent, CancellationToken.None);
            }

            waited.Stop();
            // 21 records, one bounded wait: far below the 21 x 300 ms a per-record wait would cost.
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(2), $"21 records on a stalled database held the call for {waited.Elapsed}");
            Assert.Equal(21, ledger.Journal.Stats.Late);
        }

        await AllWrittenAsync(ledger);
        var history = await ledger.Reader.GetCallAsync(call.CallId, CancellationToken.None);
        Assert.Equal(events.Select(e => e.Detail), history!.Events.Select(e => e.Event.Detail));

        // Caught up: the next record is waited for again, and commits within the bound.
        await ledger.Journal.AppendAsync(Event(call.CallId, "state", "after", 21), CancellationToken.None);
        Assert.Equal(21, ledger.Journal.Stats.Late);
    }

    [LedgerFact]
    public async Task The_bound_is_measured_on_the_injected_clock()
    {
        var time = new FakeTimeProvider(T0);
        var ledger = await OpenAsync(o => o.WriteBeforeActTimeout = TimeSpan.FromMilliseconds(250), time);

        await using (await Database.StallWritesAsync())
        {
            var arrival = ledger.Journal.CallArrivedAsync(Call("clocked"), CancellationToken.None).AsTask();
            time.Advance(TimeSpan.FromMilliseconds(249));
            Assert.False(arrival.IsCompleted);

            time.Advance(TimeSpan.FromMilliseconds(1));
            await arrival.WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(1, ledger.Journal.Stats.Late);
        }

        await AllWrittenAsync(ledger);
        Assert.Equal(1, ledger.Journal.Stats.Written);
    }

    [LedgerFact]
    public async Task A_full_queue_still_bounds_the_wait_and_keeps_every_record_in_order()
    {
        var ledger = await OpenAsync(o =>
        {
            o.QueueCapacity = 2;
            o.MaxBatch = 1;
            o.WriteBeforeActTimeout = TimeSpan.FromMilliseconds(150);
        });
        var call = Call("crowded");
        var events = Enumerable.Range(1, 6).Select(i => Event(call.CallId, "state", $"step {i}", i)).ToList();

        await using (await Database.StallWritesAsync())
        {
            await ledger.Journal.CallArrivedAsync(call, CancellationToken.None);
            foreach (var callEvent in events)
            {
                var waited = Stopwatch.StartNew();
                await ledger.Journal.AppendAsync(callEvent, CancellationToken.None);
                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(3), $"an append waited {waited.Elapsed} on a full queue");
            }

            Assert.True(ledger.Journal.Stats.QueueFull >= 3, $"QueueFull is {ledger.Journal.Stats.QueueFull}");
            Assert.Equal(7, ledger.Journal.Stats.Late);
            Assert.Equal(7, ledger.Journal.Stats.Pending);
        }

        await AllWrittenAsync(ledger);
        var history = await ledger.Reader.GetCallAsync(call.CallId, CancellationToken.None);
        Assert.Equal(events, history!.Events.Select(e => e.Event));
        Assert.Contains(Logs.Lines, line => line.EventId == 8112);
    }

    [LedgerFact]
    public async Task Cancelling_the_wait_does_not_cancel_the_write()
    {
        var ledger = await OpenAsync(o => o.WriteBeforeActTimeout = TimeSpan.FromSeconds(5));
        using var hangUp = new CancellationTokenSource();

        await using (await Database.StallWritesAsync())
        {
            var arrival = ledger.Journal.CallArrivedAsync(Call("cancelled-wait"), hangUp.Token).AsTask();
            await hangUp.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => arrival);
        }

        await AllWrittenAsync(ledger);
        Assert.NotNull(await ledger.Reader.GetCallAsync("cancelled-wait", CancellationToken.None));
    }
}
