using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Routing.Ledger.Migrations;
using Routing.Ledger.Storage;
using Routing.Ledger.Tests.Support;

namespace Routing.Ledger.Tests.Suite;

public abstract partial class LedgerSuite
{
    [LedgerFact]
    public async Task Migrations_are_applied_once_and_a_restart_applies_nothing()
    {
        await using (await OpenAsync())
        {
        }

        var dialect = LedgerDialects.ForProvider(Database.Provider);
        var migrator = new LedgerMigrator(new LedgerConnectionFactory(dialect, Database.ConnectionString), MigrationCatalog.For(dialect), TimeProvider.System, NullLogger.Instance);
        Assert.Empty(await migrator.ApplyAsync(CancellationToken.None));

        await using var raw = await Database.OpenRawAsync();
        var recorded = (await raw.QueryAsync<(long Version, string Name)>("SELECT version, name FROM migrations ORDER BY version")).ToList();
        Assert.Equal(MigrationCatalog.For(dialect).Select(m => ((long)m.Version, m.Name)), recorded);
    }

    [LedgerFact]
    public async Task A_migration_added_later_is_applied_on_the_next_start_only()
    {
        var dialect = LedgerDialects.ForProvider(Database.Provider);
        var connections = new LedgerConnectionFactory(dialect, Database.ConnectionString);
        await dialect.PrepareDatabaseAsync(Database.ConnectionString, CancellationToken.None);
        var shipped = MigrationCatalog.For(dialect);
        var later = shipped.Append(new LedgerMigration(9_001, "probe", "CREATE TABLE probe (id integer NOT NULL)")).ToList();

        Assert.Equal(shipped, await new LedgerMigrator(connections, shipped, TimeProvider.System, NullLogger.Instance).ApplyAsync(CancellationToken.None));
        var applied = await new LedgerMigrator(connections, later, TimeProvider.System, NullLogger.Instance).ApplyAsync(CancellationToken.None);
        Assert.Equal([9_001], applied.Select(m => m.Version));
        Assert.Empty(await new LedgerMigrator(connections, later, TimeProvider.System, NullLogger.Instance).ApplyAsync(CancellationToken.None));
    }

    [LedgerFact]
    public async Task A_failing_migration_leaves_nothing_behind_and_names_itself()
    {
        var dialect = LedgerDialects.ForProvider(Database.Provider);
        var connections = new LedgerConnectionFactory(dialect, Database.ConnectionString);
        await dialect.PrepareDatabaseAsync(Database.ConnectionString, CancellationToken.None);
        var broken = MigrationCatalog.For(dialect)
            .Append(new LedgerMigration(9_002, "half_done", "CREATE TABLE half_done (id integer); THIS IS NOT SQL"))
            .ToList();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => new LedgerMigrator(connections, broken, TimeProvider.System, NullLogger.Instance).ApplyAsync(CancellationToken.None));

        Assert.Contains("9002_half_done", error.Message);
        await using var raw = await Database.OpenRawAsync();
        Assert.Equal(0L, await raw.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM migrations WHERE version = 9002"));
        // The CREATE TABLE before the error was rolled back with it.
        await Assert.ThrowsAnyAsync<Exception>(() => raw.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM half_done"));
    }

    [LedgerFact]
    public async Task Nodes_starting_at_once_apply_each_migration_exactly_once()
    {
        var starts = Enumerable.Range(0, 4).Select(node => Task.Run(() => OpenAsync(o => o.NodeId = $"node-{node}")));

        var ledgers = await Task.WhenAll(starts);

        Assert.Equal(4, ledgers.Length);
        await using var raw = await Database.OpenRawAsync();
        var versions = (await raw.QueryAsync<long>("SELECT version FROM migrations")).ToList();
        Assert.Equal(versions.Distinct().Count(), versions.Count);
        Assert.Equal(MigrationCatalog.For(LedgerDialects.ForProvider(Database.Provider)).Count, versions.Count);
    }
}
