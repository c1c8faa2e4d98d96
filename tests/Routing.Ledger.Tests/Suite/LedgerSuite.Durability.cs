using Dapper;
using Microsoft.Extensions.Logging;
using Routing.Ledger.Tests.Support;

namespace Routing.Ledger.Tests.Suite;

public abstract partial class LedgerSuite
{
    [LedgerFact]
    public async Task A_database_failure_then_recovery_loses_nothing_and_keeps_order()
    {
        var ledger = await OpenAsync(o => o.WriteBeforeActTimeout = TimeSpan.FromMilliseconds(100));
        var call = Call("through-an-outage");
        await ledger.Journal.CallArrivedAsync(call, CancellationToken.None);
        var events = Enumerable.Range(1, 5).Select(i => Event(call.CallId, "state", $"during outage {i}", i)).ToList();

        await using var raw = await Database.OpenRawAsync();
        // A real database error: the table the writer needs is gone for a while.
        await raw.ExecuteAsync("ALTER TABLE call_events RENAME TO call_events_away");
        foreach (var callEvent in events)
        {
            await ledger.Journal.AppendAsync(callEvent, CancellationToken.None);
        }

        await Eventually.TrueAsync(() => ledger.Journal.Stats.Failures >= 2, "the writer failing and retrying");
        Assert.Contains("call_events", ledger.Journal.Stats.LastError);
        Assert.Equal(5, ledger.Journal.Stats.Pending);
        await raw.ExecuteAsync("ALTER TABLE call_events_away RENAME TO call_events");

        await AllWrittenAsync(ledger);
        var history = await ledger.Reader.GetCallAsync(call.CallId, CancellationToken.None);
        Assert.Equal(events, history!.Events.Select(e => e.Event));
        Assert.Equal(6, ledger.Journal.Stats.Written);
        Assert.Contains(Logs.Lines, line => line.EventId == 8110 && line.Level == LogLevel.Error && line.Exception is not null);
        Assert.Contains(Logs.Lines, line => line.EventId == 8111);
    }

    [LedgerFact]
    public async Task Disposing_flushes_what_is_pending()
    {
        var ledger = await OpenAsync(o => o.WriteBeforeActTimeout = TimeSpan.FromMilliseconds(50));
        Task disposing;

        await using (await Database.StallWritesAsync())
        {
            await ledger.Journal.CallArrivedAsync(Call("flushed"), CancellationToken.None);
            await ledger.Journal.AppendAsync(Outcome("flushed", "Completed"), CancellationToken.None);
            disposing = ledger.DisposeAsync().AsTask();
            await Assert.ThrowsAsync<ObjectDisposedException>(() => ledger.Journal.AppendAsync(Event("flushed", "late", "after close"), CancellationToken.None).AsTask());
        }

        await disposing.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, ledger.Journal.Stats.Written);
        Assert.Equal(0, ledger.Journal.Stats.Abandoned);
        var history = await ledger.Reader.GetCallAsync("flushed", CancellationToken.None);
        Assert.Single(history!.Events);
    }

    [LedgerFact]
    public async Task Disposing_while_the_database_stays_away_is_bounded_and_reports_the_loss()
    {
        var ledger = await OpenAsync(o =>
        {
            o.WriteBeforeActTimeout = TimeSpan.FromMilliseconds(50);
            o.ShutdownFlushTimeout = TimeSpan.FromMilliseconds(300);
        });
        await ledger.Journal.CallArrivedAsync(Call("unlucky"), CancellationToken.None);
        await using var raw = await Database.OpenRawAsync();
        await raw.ExecuteAsync("ALTER TABLE call_events RENAME TO call_events_away");
        await ledger.Journal.AppendAsync(Outcome("unlucky", "Completed"), CancellationToken.None);

        await ledger.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Contains(Logs.Lines, line => line.EventId == 8121 && line.Level == LogLevel.Critical && line.Message.Contains("1 records NOT written"));
        Assert.Equal(1, ledger.Journal.Stats.Written);
        await raw.ExecuteAsync("ALTER TABLE call_events_away RENAME TO call_events");
    }

    [LedgerFact]
    public async Task A_thousand_calls_of_ten_events_written_concurrently_are_all_there_in_order()
    {
        var ledger = await OpenAsync(o => o.WriteBeforeActTimeout = TimeSpan.FromSeconds(1));
        const int calls = 1_000;
        const int eventsPerCall = 10;

        await Task.WhenAll(Enumerable.Range(0, calls).Select(i => Task.Run(async () =>
        {
            var callId = $"call-{i:D4}";
            await ledger.Journal.CallArrivedAsync(Call(callId, second: i % 60), CancellationToken.None);
            for (var e = 0; e < eventsPerCall; e++)
            {
                await ledger.Journal.AppendAsync(Event(callId, "state", $"{e}", e), CancellationToken.None);
            }
        })));
        await AllWrittenAsync(ledger);

        await using var raw = await Database.OpenRawAsync();
        Assert.Equal(calls, await raw.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM calls"));
        var rows = await raw.QueryAsync<(string CallId, string Detail)>("SELECT call_id, detail FROM call_events ORDER BY seq");
        var byCall = rows.GroupBy(r => r.CallId).ToDictionary(g => g.Key, g => g.Select(r => r.Detail).ToList());
        Assert.Equal(calls, byCall.Count);
        var inOrder = Enumerable.Range(0, eventsPerCall).Select(e => $"{e}").ToList();
        Assert.All(byCall, pair => Assert.Equal(inOrder, pair.Value));
        Assert.Equal(calls * (1 + eventsPerCall), ledger.Journal.Stats.Written);
        Assert.Equal(0, ledger.Journal.Stats.Failures);
    }

    [LedgerFact]
    public async Task A_record_the_database_refuses_for_good_is_set_aside_and_the_rest_goes_on()
    {
        var ledger = await OpenAsync(o => o.WriteBeforeActTimeout = TimeSpan.FromMilliseconds(50));
        var call = Call("real-call");
        var ghostLeg = Leg("never-arrived", "ghost-leg");
        var callEvent = Event(call.CallId, "state", "Arrived -> Answered");

        // Stalled, so the refused leg and the good event behind it are committed as one batch.
        await using (await Database.StallWritesAsync())
        {
            await ledger.Journal.CallArrivedAsync(call, CancellationToken.None);
            await ledger.Journal.LegPlannedAsync(ghostLeg, CancellationToken.None);
            await ledger.Journal.AppendAsync(callEvent, CancellationToken.None);
        }

        await AllWrittenAsync(ledger);
        Assert.Equal(callEvent, Assert.Single((await ledger.Reader.GetCallAsync(call.CallId, CancellationToken.None))!.Events).Event);
        Assert.Null(await ledger.Reader.GetCallAsync("never-arrived", CancellationToken.None));
        var setAside = Assert.Single(await ledger.Reader.ListRejectedAsync(10, CancellationToken.None));
        Assert.Equal(("leg:ghost-leg", "leg", "never-arrived", "node-a"), (setAside.RecordKey, setAside.RecordType, setAside.CallId, setAside.NodeId));
        Assert.Contains("\"LegId\":\"ghost-leg\"", setAside.Payload);
        Assert.Contains("foreign key", setAside.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal((2L, 1L, 0L), (ledger.Journal.Stats.Written, ledger.Journal.Stats.Rejected, ledger.Journal.Stats.Failures));
        Assert.Contains(Logs.Lines, line => line.EventId == 8114 && line.Message.Contains("leg:ghost-leg"));

        await ledger.Journal.AppendAsync(Outcome(call.CallId, "Completed"), CancellationToken.None);
        Assert.False((await ledger.Reader.GetCallAsync(call.CallId, CancellationToken.None))!.IsOpen);
    }
}
