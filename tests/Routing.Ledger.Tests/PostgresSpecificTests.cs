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
    public async Task A_migration_transaction_holds_the_advisory_lock_other_nodes_wait_on()
    {
        var dialect = new PostgresDialect();
        await using var nodeA = (NpgsqlConnection)await Database.OpenRawAsync();
        await using var nodeB = (NpgsqlConnection)await Database.OpenRawAsync();
        const string tryLock = "SELECT pg_try_advisory_xact_lock(@Key)";

        await using (var migrating = await dialect.BeginMigrationTransactionAsync(nodeA, CancellationToken.None))
        {
            await using var other = await nodeB.BeginTransactionAsync();
            Assert.False(await nodeB.ExecuteScalarAsync<bool>(tryLock, new { Key = PostgresDialect.MigrationLockKey }, other));
            await migrating.CommitAsync();
        }

        await using var after = await nodeB.BeginTransactionAsync();
        Assert.True(await nodeB.ExecuteScalarAsync<bool>(tryLock, new { Key = PostgresDialect.MigrationLockKey }, after));
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
}
