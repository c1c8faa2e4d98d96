using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Routing.Ledger.Storage;
using Routing.Ledger.Tests.Support;

namespace Routing.Ledger.Tests;

public sealed class PostgresSpecificTests : IAsyncLifetime
{
    private PostgresTestDatabase? database;

    private PostgresTestDatabase Database => database!;

    public async Task InitializeAsync()
    {
        // Only a test that runs needs the server; skipped ones never get here.
        if (PostgresTestServer.SkipReason is null)
        {
            database = await PostgresTestDatabase.CreateAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (database is not null)
        {
            await database.DisposeAsync();
        }
    }

    [PostgresFact]
    public async Task A_migration_transaction_holds_the_advisory_lock_until_it_ends()
    {
        var dialect = new PostgresDialect();
        await using var node = (NpgsqlConnection)await Database.OpenRawAsync();
        await using var observer = await Database.OpenRawAsync();
        // Other tests migrate in parallel under the same key, so look at this backend's locks only.
        // A bigint advisory key shows as classid = high 32 bits, objid = low 32 bits, objsubid = 1.
        const string heldByNode =
            "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = @Pid " +
            "AND classid::bigint = (@Key >> 32) AND objid::bigint = (@Key & 4294967295) AND objsubid = 1";
        var parameters = new { Pid = node.ProcessID, Key = PostgresDialect.MigrationLockKey };

        await using (var migrating = await dialect.BeginMigrationTransactionAsync(node, CancellationToken.None))
        {
            Assert.Equal(1L, await observer.ExecuteScalarAsync<long>(heldByNode, parameters));
            await migrating.CommitAsync();
        }

        Assert.Equal(0L, await observer.ExecuteScalarAsync<long>(heldByNode, parameters));
    }

    [PostgresFact]
    public async Task Instants_are_timestamptz_and_tables_live_in_the_search_path_schema()
    {
        await using var ledger = await LedgerFactory.CreateAsync(Database.Options(), NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None);

        await using var raw = await Database.OpenRawAsync();
        var types = (await raw.QueryAsync<(string Column, string Type)>(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() " +
            "AND column_name IN ('arrived_at', 'planned_at', 'at', 'applied_at')")).ToList();
        Assert.Equal(4, types.Count);
        Assert.All(types, t => Assert.Equal("timestamp with time zone", t.Type));
    }

    [PostgresFact]
    public async Task The_engine_role_may_insert_and_select_but_the_database_refuses_its_update_and_delete()
    {
        // The owner migrates; the engine logs in as a member of routing_engine (README "Roles").
        var login = "routing_engine_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var owner = await Database.OpenRawAsync())
        {
            await owner.ExecuteAsync($"CREATE ROLE {login} LOGIN PASSWORD 'engine' IN ROLE routing_engine");
        }

        try
        {
            var engine = new NpgsqlConnectionStringBuilder(Database.ConnectionString) { Username = login, Password = "engine", Pooling = false }.ConnectionString;
            await using (var ledger = await LedgerFactory.CreateAsync(
                Database.Options(o => { o.MigrationConnectionString = Database.ConnectionString; o.ConnectionString = engine; }),
                NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None))
            {
                await ledger.Journal.CallArrivedAsync(new Routing.Calls.Ports.CallRecord("as-engine", "chan", "+7701", "112", "112", DateTimeOffset.UtcNow), CancellationToken.None);
                await ledger.Journal.AppendAsync(new Routing.Calls.Ports.CallEventRecord("as-engine", null, DateTimeOffset.UtcNow, "state", "Arrived -> Answered"), CancellationToken.None);
                await Eventually.TrueAsync(() => ledger.Journal.Stats.Pending == 0, "both records committed");
                Assert.Equal((2L, 0L), (ledger.Journal.Stats.Written, ledger.Journal.Stats.Failures));
            }

            await using var asEngine = new NpgsqlConnection(engine);
            await asEngine.OpenAsync();
            foreach (var statement in new[] { "UPDATE calls SET caller_number = 'x'", "DELETE FROM call_events", "DELETE FROM calls", "UPDATE legs SET trunk = 'x'", "TRUNCATE call_events", "DELETE FROM ledger_checkpoints" })
            {
                var refused = await Assert.ThrowsAsync<PostgresException>(() => asEngine.ExecuteAsync(statement));
                Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
            }

            Assert.Equal(1L, await asEngine.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM calls"));
        }
        finally
        {
            await using var owner = await Database.OpenRawAsync();
            await owner.ExecuteAsync($"DROP ROLE {login}");
        }
    }

    [PostgresFact]
    public async Task A_kept_writer_connection_the_server_killed_is_replaced_and_the_record_lands()
    {
        // A name of this ledger's own, so only its connections are terminated (other tests share the server).
        var name = "ledger-kept-" + Guid.NewGuid().ToString("N")[..12];
        var options = Database.Options(o => o.ConnectionString = new NpgsqlConnectionStringBuilder(Database.ConnectionString) { ApplicationName = name }.ConnectionString);
        await using var ledger = await LedgerFactory.CreateAsync(options, NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None);
        await ledger.Journal.CallArrivedAsync(new("killed", "chan-killed", "+77011234567", "112", "112", DateTimeOffset.UtcNow), CancellationToken.None);
        Assert.Equal(1, ledger.Journal.WriterConnectionsOpened);

        await using (var raw = await Database.OpenRawAsync())
        {
            var killed = await raw.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = @Name) t", new { Name = name });
            Assert.True(killed >= 1, "the writer's kept connection was not found on the server");
        }

        await ledger.Journal.AppendAsync(new("killed", null, DateTimeOffset.UtcNow, "state", "after the kill"), CancellationToken.None);

        // Npgsql notices the kill at the write (a failed write, retried on a fresh connection) or, had it read the
        // server's goodbye already, at the kept connection's state: either way the record went through a new one.
        Assert.True(ledger.Journal.WriterConnectionsOpened >= 2, $"the killed connection was still used ({ledger.Journal.Stats})");
        Assert.Equal(2, ledger.Journal.Stats.Written);
        var history = await ledger.Reader.GetCallAsync("killed", CancellationToken.None);
        Assert.Equal("after the kill", Assert.Single(history!.Events).Event.Detail);
    }
}
