using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Routing.Calls.Callbacks;
using Routing.Calls.Ports;
using Routing.Engine.Callbacks;
using Routing.Engine.Calls;
using Routing.Engine.Calls.Cel;
using Routing.Engine.Tests.Cel;
using Routing.Engine.Tests.Support;
using Routing.Ledger;
using Routing.Ledger.Audit;
using Routing.Ledger.Chain;
using Routing.Ledger.Storage;

namespace Routing.Engine.Tests;

/// <summary>
/// While the ledger database takes no writes (its SQLite file read-only), records go to the spool and are
/// "written". Whoever asks the ledger what was written must be told them too: the CEL import's "did the
/// engine already record this caller?", restart recovery's open calls, a callback task's state. Once the
/// database is writable again every record is in it exactly once and the chain verifies.
/// </summary>
public sealed class SpoolReadAfterWriteTests : IAsyncLifetime
{
    private const string HmacKey = "cmVhZC1hZnRlci13cml0ZS10ZXN0LWtleS1mb3ItdGhlLWNoYWlu";
    private static readonly DateTimeOffset LongAgo = DateTimeOffset.UtcNow.AddMinutes(-5);

    private readonly string directory = Path.Combine(Path.GetTempPath(), "routing-tests", "read-after-write-" + Guid.NewGuid().ToString("N"));

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(directory);
        return Task.CompletedTask;
    }

    private string Database => Path.Combine(directory, "ledger.db");

    private string ConnectionString => $"Data Source={Database}";

    [ReadOnlyFileFact]
    public async Task A_fallback_call_the_engine_recorded_live_into_the_spool_is_not_imported_again_from_CEL()
    {
        await using var ledger = await OpenLedgerAsync();
        MakeReadOnly();
        // The engine saw the dialplan route this caller (AMI) while the database took no writes.
        await ledger.Journal.CallArrivedAsync(new CallRecord("seen-live", "1796555333.8", "+77011234567", "112", FallbackCallTracker.Entry, LongAgo), CancellationToken.None);
        await UntilAsync(() => ledger.Journal.Stats.Spooled > 0, ledger, "the record fsynced in the spool");

        var result = await ImportCelAsync(ledger);

        Assert.Equal((0, 1), (result.Recorded, result.AlreadyKnown));
        MakeWritable();
        await AllWrittenAsync(ledger);
        Assert.Equal(1L, await CountAsync("SELECT COUNT(*) FROM calls WHERE caller_channel_id = '1796555333.8'"));
        await AssertChainIntactAsync();
    }

    [ReadOnlyFileFact]
    public async Task A_fallback_call_imported_into_the_spool_is_not_imported_again_when_the_CEL_file_is_read_from_its_start()
    {
        await using var ledger = await OpenLedgerAsync();
        MakeReadOnly();
        var first = await ImportCelAsync(ledger);
        Assert.Equal(1, first.Recorded);
        await UntilAsync(() => ledger.Journal.Stats.Spooled > 0, ledger, "the record fsynced in the spool");

        // Every start reads the CEL file from its beginning again.
        var again = await ImportCelAsync(ledger);

        Assert.Equal((0, 1), (again.Recorded, again.AlreadyKnown));
        MakeWritable();
        await AllWrittenAsync(ledger);
        var callId = CelFallbackStory.StableId("call", "1796555333.8");
        Assert.Equal(1L, await CountAsync($"SELECT COUNT(*) FROM call_events WHERE call_id = '{callId}' AND kind = 'outcome'"));
        Assert.Equal(7L, await CountAsync($"SELECT COUNT(*) FROM call_events WHERE call_id = '{callId}'"));
        await AssertChainIntactAsync();
    }

    [ReadOnlyFileFact]
    public async Task A_callback_task_closed_into_the_spool_cannot_be_attempted_again_and_one_opened_there_is_known()
    {
        await using var ledger = await OpenLedgerAsync();
        var desk = new CallbackDesk(ledger.Reader, ledger.Journal, TimeProvider.System);
        await ledger.Journal.CallArrivedAsync(new CallRecord("lost-1", "1795000000.1", "+77011112233", "112", "112", LongAgo), CancellationToken.None);
        await ledger.Journal.AppendAsync(new CallEventRecord("lost-1", null, LongAgo, CallbackEventKinds.Required, "abandoned in the queue"), CancellationToken.None);
        await AllWrittenAsync(ledger);
        MakeReadOnly();

        await desk.TransitionAsync("lost-1", t => t.Close("ct-1", "caller called again and was helped"), CancellationToken.None);
        await ledger.Journal.CallArrivedAsync(new CallRecord("lost-2", "1795000000.2", "+77014445566", "112", "112", LongAgo), CancellationToken.None);
        await ledger.Journal.AppendAsync(new CallEventRecord("lost-2", null, LongAgo, CallbackEventKinds.Required, "abandoned in the queue"), CancellationToken.None);
        await UntilAsync(() => ledger.Journal.Stats.Spooled > 0, ledger, "the record fsynced in the spool");

        var refusal = await Assert.ThrowsAsync<CallbackRefusedException>(() =>
            desk.TransitionAsync("lost-1", t => t.Attempt("ct-2", "calling back"), CancellationToken.None));
        Assert.Contains("lost-1", refusal.Message);
        var open = Assert.Single(await desk.ListAsync(openOnly: true, CancellationToken.None));
        Assert.Equal(("lost-2", "+77014445566", CallbackState.Open), (open.CallId, open.CallerNumber, open.State));
        var attempted = await desk.TransitionAsync("lost-2", t => t.Attempt("ct-2", "calling back"), CancellationToken.None);
        Assert.Equal(CallbackState.Attempted, attempted.State);

        MakeWritable();
        await AllWrittenAsync(ledger);
        Assert.Equal(2L, await CountAsync("SELECT COUNT(*) FROM call_events WHERE call_id = 'lost-1'"));
        Assert.Equal(2L, await CountAsync("SELECT COUNT(*) FROM call_events WHERE call_id = 'lost-2'"));
        await AssertChainIntactAsync();
    }

    [ReadOnlyFileFact]
    public async Task A_call_whose_start_is_only_in_the_spool_at_restart_is_closed_by_restart_recovery()
    {
        const string vanished = "1795000001.7";
        var settings = new Dictionary<string, string?>
        {
            ["Ledger:ConnectionString"] = ConnectionString,
            ["Ledger:Spool:Directory"] = Path.Combine(directory, "spool"),
            ["Ledger:ShutdownFlushTimeout"] = "00:00:00.500",
            ["Ledger:Chain:HmacKey"] = HmacKey,
            ["Ledger:Chain:CheckpointEvery"] = "5",
        };
        var abandoned = -1L;
        await using var harness = await EngineHarness.StartAsync(settings: settings, beforeEngine: async (_, configuration) =>
        {
            // The earlier run: its call's start reaches only the spool, then it stops with the database still away.
            await using var earlier = await LedgerFactory.CreateAsync(configuration.Ledger, NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None);
            MakeReadOnly();
            await earlier.Journal.CallArrivedAsync(new CallRecord("earlier-run", vanished, "+77271234567", "102", "direct:police", LongAgo), CancellationToken.None);
            await earlier.DisposeAsync();
            abandoned = earlier.Journal.Stats.Abandoned;
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(directory, "spool"), "*.r112spool"));
        });
        Assert.Equal(0, abandoned);

        var record = await harness.WaitForOutcomeAsync(vanished);

        Assert.Equal("LostDuringOutage", record.Outcome);
        Assert.Contains("callback.required", record.EventKinds);
        MakeWritable();
        await harness.WaitUntilAsync(() => harness.Engine.Journal.Stats.Pending == 0, "every record in the database");
        Assert.Equal(1L, await CountAsync($"SELECT COUNT(*) FROM calls WHERE caller_channel_id = '{vanished}'"));
        Assert.Equal(1L, await CountAsync("SELECT COUNT(*) FROM call_events WHERE call_id = 'earlier-run' AND kind = 'outcome'"));
        await AssertChainIntactAsync();
    }

    [PostgresFact]
    public async Task With_PostgreSQL_stopped_and_back_what_the_spool_holds_is_read_before_the_database_has_caught_up()
    {
        var server = Environment.GetEnvironmentVariable(PostgresVariable)
            ?? throw new InvalidOperationException($"{PostgresVariable} is not set while CI=true: .ci/run should have started PostgreSQL.");
        var schema = "read_after_write_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync(server, $"CREATE SCHEMA {schema}");
        try
        {
            var direct = new NpgsqlConnectionStringBuilder(server) { SearchPath = schema };
            await using var outage = TcpOutage.Before(direct.Host!, direct.Port);
            var throughRelay = new NpgsqlConnectionStringBuilder(direct.ConnectionString) { Host = "127.0.0.1", Port = outage.Port };
            await using var ledger = await OpenLedgerAsync("postgres", throughRelay.ConnectionString);
            var desk = new CallbackDesk(ledger.Reader, ledger.Journal, TimeProvider.System);
            await ledger.Journal.CallArrivedAsync(new CallRecord("lost-1", "1795000000.1", "+77011112233", "112", "112", LongAgo), CancellationToken.None);
            await ledger.Journal.AppendAsync(new CallEventRecord("lost-1", null, LongAgo, CallbackEventKinds.Required, "abandoned in the queue"), CancellationToken.None);
            await AllWrittenAsync(ledger);

            outage.Stop();
            await ledger.Journal.AppendAsync(new CallEventRecord("lost-1", null, LongAgo, CallbackEventKinds.Closed, "by ct-1: helped on a later call"), CancellationToken.None);
            await ledger.Journal.CallArrivedAsync(new CallRecord("seen-live", "1796555333.8", "+77011234567", "112", FallbackCallTracker.Entry, LongAgo), CancellationToken.None);
            await ledger.Journal.CallArrivedAsync(new CallRecord("open-1", "1795000002.3", "+77017778899", "112", "112", LongAgo), CancellationToken.None);
            await UntilAsync(() => ledger.Journal.Stats.Spooled >= 3, ledger, "the records fsynced in the spool");
            // Long enough for the writer's back-off to reach seconds (3.2 s after the 7th failure): the reads below
            // come while the database is back and the writer has not tried again. They must tell what was
            // written either way; not asserted, since a box stalled for seconds may let the writer in first.
            await UntilAsync(() => ledger.Journal.Stats.Failures >= 7, ledger, "the writer to back off");
            outage.Restart();

            var cel = await ImportCelAsync(ledger);
            Assert.Equal((0, 1), (cel.Recorded, cel.AlreadyKnown));
            Assert.Contains("open-1", (await ledger.Reader.ListOpenCallsAsync(CancellationToken.None)).Select(c => c.Call.CallId));
            Assert.Equal(CallbackState.Closed, (await desk.FindAsync("lost-1", CancellationToken.None))!.State);
            await Assert.ThrowsAsync<CallbackRefusedException>(() => desk.TransitionAsync("lost-1", t => t.Attempt("ct-2", "calling back"), CancellationToken.None));

            await AllWrittenAsync(ledger);
            await using var connection = new NpgsqlConnection(direct.ConnectionString);
            await connection.OpenAsync();
            Assert.Equal(2L, await ScalarAsync(connection, "SELECT COUNT(*) FROM call_events WHERE call_id = 'lost-1'"));
            Assert.Equal(1L, await ScalarAsync(connection, "SELECT COUNT(*) FROM calls WHERE caller_channel_id = '1796555333.8'"));
            Assert.Equal(0L, await ScalarAsync(connection, "SELECT COUNT(*) - COUNT(DISTINCT event_id) FROM call_events"));
            var report = await new AuditVerifier(new LedgerConnectionFactory(new PostgresDialect(), direct.ConnectionString), new LedgerChainOptions { HmacKey = HmacKey, CheckpointEvery = 5 })
                .VerifyAsync(null, null, CancellationToken.None);
            Assert.True(report.Intact, string.Join("; ", report.Findings));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(server, $"DROP SCHEMA {schema} CASCADE");
        }
    }

    private const string PostgresVariable = PostgresFactAttribute.Variable;

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private static async Task UntilAsync(Func<bool> condition, Routing.Ledger.Ledger ledger, string what)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            if (TimeProvider.System.GetElapsedTime(started) > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"waiting for {what}: {ledger.Journal.Stats}");
            }

            await Task.Delay(20);
        }
    }

    private Task<Routing.Ledger.Ledger> OpenLedgerAsync() => OpenLedgerAsync("sqlite", ConnectionString);

    private async Task<Routing.Ledger.Ledger> OpenLedgerAsync(string provider, string connectionString) => await LedgerFactory.CreateAsync(
        new LedgerOptions
        {
            Provider = provider,
            ConnectionString = connectionString,
            NodeId = "read-after-write",
            WriteBeforeActTimeout = TimeSpan.FromSeconds(2),
            ShutdownFlushTimeout = TimeSpan.FromMilliseconds(500),
            Spool = { Directory = Path.Combine(directory, "spool"), After = TimeSpan.FromMilliseconds(50) },
            Chain = { HmacKey = HmacKey, CheckpointEvery = 5 },
        },
        NullLoggerFactory.Instance,
        TimeProvider.System,
        CancellationToken.None);

    private async Task<CelImportResult> ImportCelAsync(Routing.Ledger.Ledger ledger)
    {
        var file = Path.Combine(directory, "routing112.csv");
        await File.WriteAllLinesAsync(file, CelFixture.FallbackCallRows());
        var import = new CelImportService(new CelImportOptions { File = file }, ledger.Journal, ledger.Reader, TimeProvider.System, NullLogger<CelImportService>.Instance);
        return (await import.PassAsync(CancellationToken.None))!;
    }

    private void MakeReadOnly()
    {
        ReadOnlyFile.ApplyToLedger(Database);
        using var pooled = new SqliteConnection(ConnectionString);
        SqliteConnection.ClearPool(pooled); // a pooled handle would come back read-write when lifted: start fresh
    }

    private void MakeWritable() => ReadOnlyFile.LiftFromLedger(Database);

    private static async Task AllWrittenAsync(Routing.Ledger.Ledger ledger)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (ledger.Journal.Stats.Pending > 0)
        {
            if (TimeProvider.System.GetElapsedTime(started) > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"records still not in the database: {ledger.Journal.Stats}");
            }

            await Task.Delay(50);
        }
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new SqliteConnection(ConnectionString + ";Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private async Task AssertChainIntactAsync()
    {
        var report = await new AuditVerifier(new LedgerConnectionFactory(new SqliteDialect(), ConnectionString), new LedgerChainOptions { HmacKey = HmacKey, CheckpointEvery = 5 })
            .VerifyAsync(null, null, CancellationToken.None);
        Assert.True(report.Intact, string.Join("; ", report.Findings));
    }

    public Task DisposeAsync()
    {
        if (File.Exists(Database))
        {
            MakeWritable();
        }

        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a pooled connection: the temp folder is cleaned another time.
        }

        return Task.CompletedTask;
    }
}
