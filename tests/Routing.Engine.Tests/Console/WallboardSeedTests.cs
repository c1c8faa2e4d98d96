using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Routing.Engine.Wallboard;
using Routing.Ledger;
using Routing.Ledger.Storage;

namespace Routing.Engine.Tests.Console;

/// <summary>A restarted engine's wallboard folds the shift back from the ledger: arrivals from the calls'
/// state events, answers with their NENA answer time from the centre's <c>queue.answered</c>, failures per
/// trunk from <c>leg.failed</c>; merged once in front of what the engine recorded live since it started.</summary>
public sealed class WallboardSeedTests
{
    private static readonly DateTimeOffset Eight = DateTimeOffset.Parse("2026-12-06T08:00:00Z");

    private static EventFact At(int minute, int second, string detail) => new(Eight.AddMinutes(minute).AddSeconds(second), detail);

    [Fact]
    public void Arrivals_count_in_their_minute_and_answers_give_the_minutes_longest_wait()
    {
        var seed = WallboardSeed.Fold(
            [At(0, 5, "Arrived -> Answered"), At(0, 40, "Arrived -> Answered"), At(2, 1, "Arrived -> Shed")],
            [At(0, 20, "calltaker-1 after 12.500 s"), At(0, 50, "calltaker-2 after 7.000 s"), At(2, 30, "calltaker-1 after 21.004 s")],
            []);

        Assert.Equal((2, 12.5), seed.Minutes[Eight]);
        Assert.Equal((1, 21.004), seed.Minutes[Eight.AddMinutes(2)]);
        Assert.False(seed.Minutes.ContainsKey(Eight.AddMinutes(1)));
        Assert.Equal([12.5, 7.0, 21.004], seed.Answers.Select(a => a.Waited));
        Assert.Equal(Eight.AddSeconds(5), seed.Earliest);
        Assert.Equal(0, seed.Unreadable);
    }

    [Fact]
    public void Leg_failures_count_per_trunk_with_the_last_reason_and_a_failed_dial_reads_as_the_live_reason()
    {
        var seed = WallboardSeed.Fold([], [],
        [
            At(3, 0, "police-almaty-1: busy"),
            At(1, 0, "fire-almaty-1: dial failed, no channel was created"),
            At(4, 0, "police-almaty-1: no answer (cause 19)"),
        ]);

        var trunks = seed.Trunks.ToDictionary(t => t.Trunk);
        Assert.Equal(new TrunkFailures("police-almaty-1", 2, "no answer (cause 19)", Eight.AddMinutes(4)), trunks["police-almaty-1"]);
        Assert.Equal(new TrunkFailures("fire-almaty-1", 1, "dial failed", Eight.AddMinutes(1)), trunks["fire-almaty-1"]);
        Assert.Equal(Eight.AddMinutes(1), seed.Earliest);
    }

    [Fact]
    public void A_fact_that_does_not_read_is_skipped_and_counted_not_guessed()
    {
        var seed = WallboardSeed.Fold([], [At(0, 1, "calltaker-1 after soon"), At(0, 2, "no wait here")], [At(0, 3, "no trunk named")]);

        Assert.Empty(seed.Answers);
        Assert.Empty(seed.Trunks);
        Assert.Equal(3, seed.Unreadable);
        Assert.Null(seed.Earliest);
    }

    [Theory]
    [InlineData(15.0, "15.000", true)]
    [InlineData(14.9999, "15.000", true)]
    [InlineData(15.0001, "15.001", false)]
    [InlineData(-2, "0.000", true)]
    public void The_answer_time_on_record_is_rounded_up_to_the_millisecond_so_it_meets_a_threshold_exactly_when_the_wait_did(double waited, string written, bool within15)
    {
        var detail = WallboardFacts.AnsweredDetail("calltaker-4", TimeSpan.FromTicks((long)(waited * TimeSpan.TicksPerSecond)));

        Assert.Equal($"calltaker-4 after {written} s", detail);
        Assert.True(WallboardFacts.TryReadAnswered(detail, out var read));
        Assert.Equal(within15, read <= 15);
    }

    [Fact]
    public void The_seed_goes_in_front_of_what_was_recorded_live_and_the_shift_begins_at_its_earliest_fact()
    {
        var time = new FakeTimeProvider(Eight.AddHours(2));
        var history = new WallboardHistory(time);
        history.RecordAnswered(TimeSpan.FromSeconds(3));
        history.RecordArrival();
        history.RecordTrunkFailure("police-almaty-1", "congestion");
        var seed = WallboardSeed.Fold(
            [new(Eight.AddHours(2).AddSeconds(-20), "Arrived -> Answered"), new(Eight.AddMinutes(10), "Arrived -> Answered")],
            [new(Eight.AddHours(2).AddSeconds(-10), "calltaker-1 after 30.000 s"), new(Eight.AddMinutes(11), "calltaker-1 after 16.000 s")],
            [new(Eight.AddMinutes(30), "police-almaty-1: busy"), new(Eight.AddMinutes(31), "fire-almaty-1: busy")]);

        history.Seed(seed);

        var levels = history.ServiceLevels().ToDictionary(l => l.Window);
        Assert.Equal(new ServiceLevel("15m", 2, 1, 1, 0.5, 0.5), levels["15m"]);
        Assert.Equal(new ServiceLevel("shift", 3, 1, 2, 0.333, 0.667), levels["shift"]);
        Assert.Equal(Eight.AddMinutes(10), history.ShiftStart);
        Assert.Equal(WallboardSeedState.Seeded, history.SeedState);
        // The minute before start holds the seeded arrival and answer; the running one the live ones.
        var minutes = history.Minutes(2, longestWaitNow: 0);
        Assert.Equal([(1, 30.0), (1, 3.0)], minutes.Select(m => (m.Calls, m.LongestWait)));
        var trunks = history.Trunks().ToDictionary(t => t.Trunk);
        Assert.Equal((2, "congestion"), (trunks["police-almaty-1"].Failures, trunks["police-almaty-1"].LastReason));
        Assert.Equal(1, trunks["fire-almaty-1"].Failures);
        Assert.Throws<InvalidOperationException>(() => history.Seed(WallboardSeed.Empty));
    }

    [Fact]
    public void Seeded_answers_older_than_the_kept_window_are_dropped()
    {
        var time = new FakeTimeProvider(Eight.AddHours(14));
        var history = new WallboardHistory(time);

        history.Seed(WallboardSeed.Fold([], [new(Eight, "calltaker-1 after 5.000 s"), new(Eight.AddHours(13).AddMinutes(30), "calltaker-1 after 5.000 s")], []));

        Assert.Equal(1, history.ServiceLevels().Single(l => l.Window == "shift").Answered);
    }

    [Fact]
    public async Task A_ledger_that_cannot_be_read_leaves_an_empty_history_that_goes_on_live()
    {
        var directory = Directory.CreateTempSubdirectory("routing-wallboard-seed");
        try
        {
            // A database without the ledger's tables: every query fails as an unreachable one would.
            var reader = new LedgerReader(new LedgerConnectionFactory(new SqliteDialect(), $"Data Source={Path.Combine(directory.FullName, "empty.db")}"));
            var history = new WallboardHistory(new FakeTimeProvider(Eight));
            using var seeder = new WallboardSeeder(history, reader, NullLogger<WallboardSeeder>.Instance);

            await seeder.StartAsync(CancellationToken.None);
            await seeder.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30));
            history.RecordAnswered(TimeSpan.FromSeconds(4));

            Assert.Equal(WallboardSeedState.Failed, history.SeedState);
            Assert.Equal(1, history.ServiceLevels().Single(l => l.Window == "shift").Answered);
            Assert.Equal(Eight, history.ShiftStart);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_seed_waits_for_the_last_runs_spool_to_reach_the_database_before_it_reads()
    {
        var directory = Directory.CreateTempSubdirectory("routing-wallboard-seed");
        try
        {
            await using (var ledger = await LedgerFactory.CreateAsync(
                new LedgerOptions { Provider = "sqlite", ConnectionString = $"Data Source={Path.Combine(directory.FullName, "ledger.db")}" },
                NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None))
            {
                var history = new WallboardHistory(TimeProvider.System);
                var replayed = 0;
                using var seeder = new WallboardSeeder(history, ledger.Reader, NullLogger<WallboardSeeder>.Instance, () => Volatile.Read(ref replayed) == 1);
                await seeder.StartAsync(CancellationToken.None);

                // The crashed run's last answer reaches the database only now, as its spool is replayed.
                await ledger.Journal.AppendAsync(new(Guid.NewGuid().ToString(), null, history.LiveSince.AddMinutes(-1), WallboardFacts.AnsweredKind, "calltaker-1 after 9.000 s"), CancellationToken.None);
                for (var polls = 0; ledger.Journal.Stats.Pending > 0; polls++)
                {
                    Assert.True(polls < 1500, $"the answer not committed after 30 s: {ledger.Journal.Stats}");
                    await Task.Delay(20);
                }

                Volatile.Write(ref replayed, 1);
                await seeder.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30));

                Assert.Equal(WallboardSeedState.Seeded, history.SeedState);
                Assert.Equal(1, history.ServiceLevels().Single(l => l.Window == "shift").Answered);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }
}
