using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Routing.Calls.Ports;
using Routing.Engine.Tests.Support;
using Routing.Engine.Wallboard;
using Routing.Ledger;

namespace Routing.Engine.Tests.Console;

/// <summary>A ledger written before the centre wrote <c>queue.answered</c> (an engine upgraded mid-shift) still
/// seeds the shift's service levels: each such call's answer is its call-taker joining, its NENA answer time
/// since the call first entered the queue; a call with a <c>queue.answered</c> counts once, by it.</summary>
public sealed class WallboardPreUpgradeSeedTests
{
    private static readonly DateTimeOffset Eight = DateTimeOffset.Parse("2026-12-06T08:00:00Z");

    [Fact]
    public void A_call_taker_joining_a_call_without_an_answer_on_record_counts_as_its_answer_and_one_without_a_start_is_counted_unreadable()
    {
        var seed = WallboardSeed.Fold([], [new(Eight.AddSeconds(50), "calltaker-2 after 3.000 s")], [],
        [
            new(Eight.AddSeconds(14), "calltaker-1 (aigerim) after 00:00:14", Eight.AddSeconds(2)),
            new(Eight.AddSeconds(40).AddTicks(1), "calltaker-1 (aigerim) after 00:00:40", Eight.AddSeconds(20)),
            new(Eight.AddSeconds(45), "calltaker-3 (arman) after 00:00:45", null),
        ]);

        Assert.Equal([12.0, 20.001, 3.0], seed.Answers.Select(a => a.Waited)); // rounded up to the ms, as live
        Assert.Equal((0, 20.001), seed.Minutes[Eight]);
        Assert.Equal(1, seed.Unreadable);
        Assert.Equal(Eight.AddSeconds(14), seed.Earliest);
    }

    [Fact]
    public Task A_sqlite_ledger_written_without_queue_answered_seeds_the_service_levels() =>
        InTemporaryDirectoryAsync(directory => SeedsFromAnOldLedgerAsync(new LedgerOptions
        {
            Provider = LedgerProviders.Sqlite,
            ConnectionString = $"Data Source={Path.Combine(directory, "ledger.db")}",
            Spool = { Directory = Path.Combine(directory, "spool") },
        }));

    [PostgresFact]
    public async Task A_postgres_ledger_written_without_queue_answered_seeds_the_service_levels()
    {
        await using var schema = await PostgresScratchSchema.CreateAsync("wallboard_test");
        await InTemporaryDirectoryAsync(directory => SeedsFromAnOldLedgerAsync(new LedgerOptions
        {
            Provider = LedgerProviders.Postgres,
            ConnectionString = schema.ConnectionString,
            Spool = { Directory = Path.Combine(directory, "spool") },
        }));
    }

    /// <summary>Three answered calls half an hour before the engine started: two recorded as before the upgrade
    /// (12 s and 20 s from entering the queue to the call-taker joining), one after (queue.answered 5 s, then
    /// its join, which must not count twice).</summary>
    private static async Task SeedsFromAnOldLedgerAsync(LedgerOptions options)
    {
        await using var ledger = await LedgerFactory.CreateAsync(options, NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None);
        var history = new WallboardHistory(TimeProvider.System);
        var start = history.LiveSince.AddMinutes(-30);
        async Task CallAsync(string callId, params (int Second, string Kind, string Detail)[] events)
        {
            await ledger.Journal.CallArrivedAsync(new CallRecord(callId, "chan-" + callId, "+77270000001", "112", "112", start), CancellationToken.None);
            foreach (var (second, kind, detail) in events)
            {
                await ledger.Journal.AppendAsync(new CallEventRecord(callId, null, start.AddSeconds(second), kind, detail), CancellationToken.None);
            }
        }

        await CallAsync("old-1", (0, "state", "Arrived -> Answered"), (2, "queue.entered", "region almaty, entry Emergency112"), (14, "calltaker.joined", "calltaker-1 (aigerim) after 00:00:14"));
        await CallAsync("old-2", (60, "state", "Arrived -> Answered"), (61, "queue.entered", "region almaty, entry Emergency112"), (81, "calltaker.joined", "calltaker-1 (aigerim) after 00:00:21"));
        await CallAsync("new-1", (120, "state", "Arrived -> Answered"), (121, "queue.entered", "region almaty, entry Emergency112"),
            (126, WallboardFacts.AnsweredKind, "calltaker-2 after 5.000 s"), (126, "calltaker.joined", "calltaker-2 (dana) after 00:00:06"));
        for (var polls = 0; ledger.Journal.Stats.Pending > 0; polls++)
        {
            Assert.True(polls < 1500, $"the old calls not committed after 30 s: {ledger.Journal.Stats}");
            await Task.Delay(20);
        }

        using var seeder = new WallboardSeeder(history, ledger.Reader, NullLogger<WallboardSeeder>.Instance);
        await seeder.StartAsync(CancellationToken.None);
        await seeder.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(WallboardSeedState.Seeded, history.SeedState);
        var shift = history.ServiceLevels().Single(l => l.Window == "shift");
        Assert.Equal(new ServiceLevel("shift", 3, 2, 3, 0.667, 1.0), shift);
        Assert.Equal(start, history.ShiftStart);
    }

    private static async Task InTemporaryDirectoryAsync(Func<string, Task> test)
    {
        var directory = Directory.CreateTempSubdirectory("routing-wallboard-preupgrade");
        try
        {
            await test(directory.FullName);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }
}
