using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Routing.Engine.Tests.Support;
using Routing.Ledger;
using Routing.Ledger.Audit;
using Routing.Ledger.Chain;
using Routing.Ledger.Storage;
using Routing.Simulator;

namespace Routing.Engine.Tests;

/// <summary>
/// Issue 9 item 6: the ledger database refuses writes in the middle of a burst of calls — a SQLite file
/// made read-only, a PostgreSQL server stopped and started again. Calls go on, their records go to the
/// spool, and once the database is back every call, leg and event is in it exactly once and the hash
/// chain verifies.
/// </summary>
public sealed class LedgerFaultTests
{
    private const string HmacKey = "ZmF1bHQtdGVzdC1rZXktZm9yLWxlZGdlci1jaGVja3BvaW50cw==";
    private const int CallsBefore = 5;
    private const int CallsDuring = 8;
    private const string PostgresVariable = PostgresFactAttribute.Variable;

    [ReadOnlyFileFact]
    public async Task A_SQLite_ledger_made_read_only_mid_burst_keeps_calls_going_and_gets_every_record_once_when_writable_again()
    {
        var directory = Path.Combine(Path.GetTempPath(), "routing-tests", "read-only-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var database = Path.Combine(directory, "ledger.db");
        var connectionString = $"Data Source={database}";
        try
        {
            await using var harness = await EngineHarness.StartAsync(settings: Settings("sqlite", connectionString));
            await BurstThroughOutageAsync(
                harness,
                new LedgerConnectionFactory(new SqliteDialect(), connectionString),
                takeAway: () =>
                {
                    ReadOnlyFile.ApplyToLedger(database);
                    using var pooled = new SqliteConnection(connectionString);
                    SqliteConnection.ClearPool(pooled); // a pooled handle would come back read-write when lifted: start fresh
                },
                giveBack: () => ReadOnlyFile.LiftFromLedger(database));
        }
        finally
        {
            if (File.Exists(database))
            {
                ReadOnlyFile.LiftFromLedger(database);
            }
        }
    }

    [PostgresFact]
    public async Task A_PostgreSQL_ledger_stopped_and_restarted_mid_burst_keeps_calls_going_and_gets_every_record_once_when_back()
    {
        var server = Environment.GetEnvironmentVariable(PostgresVariable)
            ?? throw new InvalidOperationException($"{PostgresVariable} is not set while CI=true: .ci/run should have started PostgreSQL.");
        var schema = "fault_test_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync(server, $"CREATE SCHEMA {schema}");
        try
        {
            var direct = new NpgsqlConnectionStringBuilder(server) { SearchPath = schema };
            await using var outage = TcpOutage.Before(direct.Host!, direct.Port);
            var throughRelay = new NpgsqlConnectionStringBuilder(direct.ConnectionString) { Host = "127.0.0.1", Port = outage.Port };
            await using var harness = await EngineHarness.StartAsync(settings: Settings("postgres", throughRelay.ConnectionString));
            await BurstThroughOutageAsync(
                harness,
                new LedgerConnectionFactory(new PostgresDialect(), direct.ConnectionString),
                takeAway: outage.Stop,
                giveBack: outage.Restart);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(server, $"DROP SCHEMA {schema} CASCADE");
        }
    }

    private static Dictionary<string, string?> Settings(string provider, string connectionString) => new()
    {
        ["Ledger:Provider"] = provider,
        ["Ledger:ConnectionString"] = connectionString,
        ["Ledger:NodeId"] = "fault-node",
        ["Ledger:Chain:HmacKey"] = HmacKey,
        ["Ledger:Chain:CheckpointEvery"] = "20",
    };

    private static async Task BurstThroughOutageAsync(EngineHarness harness, LedgerConnectionFactory check, Action takeAway, Action giveBack)
    {
        var journal = harness.Engine.Host.Services.GetRequiredService<Routing.Ledger.Ledger>().Journal;
        var calls = new List<SimulatedCall>();
        for (var i = 0; i < CallsBefore; i++)
        {
            calls.Add(await harness.Asterisk.PlaceCallAsync(Script(i), CancellationToken.None));
        }

        await harness.WaitUntilAsync(() => journal.Stats.Written > 0, "the first records of the burst in the database");
        takeAway();
        try
        {
            for (var i = CallsBefore; i < CallsBefore + CallsDuring; i++)
            {
                calls.Add(await harness.Asterisk.PlaceCallAsync(Script(i), CancellationToken.None));
            }

            var ends = await Task.WhenAll(calls.Select(c => c.Ended)).WaitAsync(EngineHarness.CallTimeout);
            Assert.All(ends, (end, i) => Assert.True(end.BridgedWith == "fire-almaty-1", $"call {i} was not routed: {string.Join(" | ", calls[i].Timeline)}"));
            await harness.WaitUntilAsync(() => harness.Engine.Calls.Count == 0, "every call to end in the engine");
            var during = journal.Stats;
            Assert.True(during.Failures > 0, "the database never refused a write: the fault did not take");
            Assert.True(during.Spooled > 0, $"nothing went to the spool while the database refused writes ({during})");
        }
        finally
        {
            giveBack();
        }

        foreach (var call in calls)
        {
            Assert.Equal("Completed", (await harness.WaitForOutcomeAsync(call.ChannelId)).Outcome);
        }

        await harness.WaitUntilAsync(() => journal.Stats.Pending == 0, "every accepted record in the database");
        var stats = journal.Stats;
        Assert.True(stats is { Abandoned: 0, Rejected: 0 }, stats.ToString());

        await using var connection = await check.OpenAsync(CancellationToken.None);
        foreach (var call in calls)
        {
            Assert.Equal(1L, await CountAsync(connection, $"SELECT COUNT(*) FROM calls WHERE caller_channel_id = '{call.ChannelId}'"));
            Assert.Equal(1L, await CountAsync(connection, $"SELECT COUNT(*) FROM call_events e JOIN calls c ON c.call_id = e.call_id WHERE c.caller_channel_id = '{call.ChannelId}' AND e.kind = 'outcome'"));
            Assert.True(await CountAsync(connection, $"SELECT COUNT(*) FROM legs l JOIN calls c ON c.call_id = l.call_id WHERE c.caller_channel_id = '{call.ChannelId}'") >= 1, $"call {call.ChannelId} has no leg");
        }

        Assert.Equal(0L, await CountAsync(connection, "SELECT COUNT(*) - COUNT(DISTINCT event_id) FROM call_events"));
        Assert.Equal(0L, await CountAsync(connection, "SELECT COUNT(*) - COUNT(DISTINCT leg_id) FROM legs"));
        Assert.Equal(0L, await CountAsync(connection, "SELECT COUNT(*) - COUNT(DISTINCT call_id) FROM calls"));
        Assert.Equal(0L, await CountAsync(connection, "SELECT COUNT(*) FROM rejected_records"));
        var report = await new AuditVerifier(check, new LedgerChainOptions { HmacKey = HmacKey, CheckpointEvery = 20 }).VerifyAsync(null, null, CancellationToken.None);
        Assert.True(report.Intact, string.Join("; ", report.Findings));
    }

    private static CallScript Script(int i) => new($"+7727{i:0000000}", "101", TalkFor: TimeSpan.FromMilliseconds(500));

    private static async Task<long> CountAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
