using Dapper;
using Microsoft.Extensions.Logging;
using Routing.Ledger.Audit;
using Routing.Ledger.Storage;
using Routing.Ledger.Tests.Support;

namespace Routing.Ledger.Tests.Suite;

/// <summary>The durable spool: "written" while the database is slow or away, replayed at the next start.</summary>
public abstract partial class LedgerSuite
{
    private Task<Ledger> OpenSpooledAsync(Action<LedgerOptions>? adjust = null) => OpenAsync(o =>
    {
        o.Spool.Enabled = true;
        o.WriteBeforeActTimeout = TimeSpan.FromSeconds(2);
        o.Spool.After = TimeSpan.FromMilliseconds(50);
        adjust?.Invoke(o);
    });

    private string[] SpoolFiles() => Directory.Exists(Database.SpoolDirectory) ? Directory.GetFiles(Database.SpoolDirectory, "*.r112spool") : [];

    private async Task<AuditReport> VerifyAsync() =>
        await new AuditVerifier(new LedgerConnectionFactory(LedgerDialects.ForProvider(Database.Provider), Database.ConnectionString), Database.Options().Chain)
            .VerifyAsync(null, null, CancellationToken.None);

    [LedgerFact]
    public async Task A_stalled_database_makes_the_record_written_in_the_spool_and_the_database_gets_it_later()
    {
        var ledger = await OpenSpooledAsync();
        var call = Call("spooled");

        await using (await Database.StallWritesAsync())
        {
            await ledger.Journal.CallArrivedAsync(call, CancellationToken.None);
            await ledger.Journal.AppendAsync(Event(call.CallId, "state", "Arrived -> Answered"), CancellationToken.None);

            // Both returned "written" without the database: fsynced in the spool, not late.
            Assert.Equal((0L, 2L, 2L), (ledger.Journal.Stats.Late, ledger.Journal.Stats.Spooled, ledger.Journal.Stats.Pending));
            Assert.Single(SpoolFiles());
            Assert.Single((await ledger.Reader.GetCallAsync(call.CallId, CancellationToken.None))!.Events); // written: read back from the journal
            await using var raw = await Database.OpenRawAsync();
            Assert.Equal(0L, await raw.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM calls"));
        }

        await AllWrittenAsync(ledger);
        Assert.Single((await ledger.Reader.GetCallAsync(call.CallId, CancellationToken.None))!.Events);
        // Everything in the file reached the database: the file goes.
        await Eventually.TrueAsync(() => SpoolFiles().Length == 0 && ledger.Journal.Stats.SpoolBytes == 0, "the caught-up spool file deleted");
        Assert.Contains(Logs.Lines, line => line.EventId == 8135);
        Assert.True((await VerifyAsync()).Intact);
    }

    [LedgerFact]
    public async Task Records_the_database_did_not_take_before_shutdown_are_replayed_by_the_next_start_exactly_once()
    {
        var first = await OpenSpooledAsync(o => o.ShutdownFlushTimeout = TimeSpan.FromMilliseconds(300));
        await first.Journal.CallArrivedAsync(Call("before-outage"), CancellationToken.None);
        await using var raw = await Database.OpenRawAsync();
        await raw.ExecuteAsync("ALTER TABLE call_events RENAME TO call_events_away");
        var call = Call("during-outage", second: 2);
        await first.Journal.CallArrivedAsync(call, CancellationToken.None);
        await first.Journal.LegPlannedAsync(Leg(call.CallId, "leg-outage"), CancellationToken.None);
        for (var i = 1; i <= 5; i++)
        {
            await first.Journal.AppendAsync(Event(call.CallId, "state", $"step {i}", i), CancellationToken.None);
        }

        Assert.Equal(0, first.Journal.Stats.Late);
        await first.DisposeAsync();
        Assert.Equal(0, first.Journal.Stats.Abandoned);
        Assert.True(first.Journal.Stats.KeptInSpool >= 5, first.Journal.Stats.ToString());
        Assert.DoesNotContain(Logs.Lines, line => line.EventId == 8121);
        await raw.ExecuteAsync("ALTER TABLE call_events_away RENAME TO call_events");

        var second = await OpenSpooledAsync();
        await AllWrittenAsync(second);

        // At least what was kept; a record spooled while slow and then committed is replayed and skipped.
        Assert.True(second.Journal.Stats.Replayed >= first.Journal.Stats.KeptInSpool, second.Journal.Stats.ToString());
        var history = await second.Reader.GetCallAsync(call.CallId, CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"step {i}"), history!.Events.Select(e => e.Event.Detail));
        Assert.Single(history.Legs);
        Assert.Equal(2L, await raw.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM calls"));
        await Eventually.TrueAsync(() => SpoolFiles().Length == 0, "the replayed spool file deleted");
        Assert.True((await VerifyAsync()).Intact);
    }

    [LedgerFact]
    public async Task A_replayed_spool_whose_records_already_reached_the_database_inserts_and_chains_nothing_twice()
    {
        var first = await OpenSpooledAsync();
        var call = Call("twice");
        string[] kept;
        await using (await Database.StallWritesAsync())
        {
            await first.Journal.CallArrivedAsync(call, CancellationToken.None);
            await first.Journal.AppendAsync(Event(call.CallId, "state", "one"), CancellationToken.None);
            // What a SIGKILL right now would leave behind: the spool file, as it is on disk.
            kept = SpoolFiles().Select(File.ReadAllText).ToArray();
            Assert.Single(kept);
            var copy = SpoolFiles()[0] + ".copy";
            File.Copy(SpoolFiles()[0], copy);
        }

        await AllWrittenAsync(first);
        await first.DisposeAsync();
        foreach (var copy in Directory.GetFiles(Database.SpoolDirectory, "*.copy"))
        {
            File.Move(copy, copy[..^".copy".Length]);
        }

        Assert.True(first.Journal.SpoolReplayCommitted, "a run that replayed nothing has nothing to wait for");
        var second = await OpenSpooledAsync();
        await AllWrittenAsync(second);
        Assert.True(second.Journal.SpoolReplayCommitted, second.Journal.Stats.ToString());
        await second.Journal.AppendAsync(Event(call.CallId, "state", "after restart", 3), CancellationToken.None);

        Assert.Equal(2, second.Journal.Stats.Replayed);
        var history = await second.Reader.GetCallAsync(call.CallId, CancellationToken.None);
        Assert.Equal(["one", "after restart"], history!.Events.Select(e => e.Event.Detail));
        Assert.Equal(3, second.Journal.Stats.ChainHead);
        var report = await VerifyAsync();
        Assert.True(report.Intact, string.Join("; ", report.Findings));
    }

    [LedgerFact]
    public async Task A_torn_last_entry_is_ignored_with_a_warning_and_everything_before_it_is_replayed()
    {
        var first = await OpenSpooledAsync(o => o.ShutdownFlushTimeout = TimeSpan.FromMilliseconds(300));
        await first.Journal.CallArrivedAsync(Call("torn"), CancellationToken.None);
        await using var raw = await Database.OpenRawAsync();
        await raw.ExecuteAsync("ALTER TABLE call_events RENAME TO call_events_away");
        for (var i = 1; i <= 3; i++)
        {
            await first.Journal.AppendAsync(Event("torn", "state", $"step {i}", i), CancellationToken.None);
        }

        await first.DisposeAsync();
        await raw.ExecuteAsync("ALTER TABLE call_events_away RENAME TO call_events");
        var file = Assert.Single(SpoolFiles());
        var bytes = await File.ReadAllBytesAsync(file);
        // Cut the last entry in half, as a power loss in the middle of a write would.
        await File.WriteAllBytesAsync(file, bytes[..^20]);

        var second = await OpenSpooledAsync();
        await AllWrittenAsync(second);

        var history = await second.Reader.GetCallAsync("torn", CancellationToken.None);
        Assert.Equal(["step 1", "step 2"], history!.Events.Select(e => e.Event.Detail));
        Assert.Contains(Logs.Lines, line => line.EventId == 8130 && line.Level == LogLevel.Warning && line.Message.Contains(Path.GetFileName(file)));
        Assert.True((await VerifyAsync()).Intact);
    }

    [LedgerFact]
    public async Task A_full_spool_raises_the_alarm_and_the_call_still_goes_on_with_nothing_dropped()
    {
        var ledger = await OpenSpooledAsync(o =>
        {
            o.Spool.MaxBytes = 64 * 1024;
            o.WriteBeforeActTimeout = TimeSpan.FromMilliseconds(400);
        });
        var call = Call("crowded-spool");
        var bulky = new string('x', 3_000);

        await using (await Database.StallWritesAsync())
        {
            await ledger.Journal.CallArrivedAsync(call, CancellationToken.None);
            for (var i = 1; i <= 40; i++)
            {
                await ledger.Journal.AppendAsync(Event(call.CallId, "note", $"{i} {bulky}", i), CancellationToken.None);
            }

            // The calls went on at WriteBeforeActTimeout whether or not the spool had run yet; on a busy box the
            // spooler may come after them (Late = 41, Spooled = 0 was seen): the alarm is awaited, not assumed.
            await Eventually.TrueAsync(() => ledger.Journal.Stats.SpoolFull > 0, $"the spool-full alarm: {ledger.Journal.Stats}", TimeSpan.FromSeconds(60));
            Assert.True(ledger.Journal.Stats.SpoolBytes <= 64 * 1024, ledger.Journal.Stats.ToString());
            await Eventually.TrueAsync(() => Logs.Lines.Any(line => line.EventId == 8132 && line.Level == LogLevel.Critical), "the critical log 8132", TimeSpan.FromSeconds(60));
        }

        await AllWrittenAsync(ledger);
        Assert.Equal(40, (await ledger.Reader.GetCallAsync(call.CallId, CancellationToken.None))!.Events.Count);
    }
}
