using Dapper;
using Microsoft.Extensions.Logging;
using Routing.Ledger.Storage;

namespace Routing.Ledger.Migrations;

/// <summary>
/// Brings a ledger database up to date. Each migration runs in its own transaction that first takes
/// the dialect's migration lock (BEGIN IMMEDIATE on SQLite, pg_advisory_xact_lock on PostgreSQL,
/// sp_getapplock on SQL Server), then checks <c>migrations</c> again: so a restart applies nothing
/// twice, and two nodes starting at once apply each migration exactly once.
/// </summary>
public sealed class LedgerMigrator(
    LedgerConnectionFactory connections,
    IReadOnlyList<LedgerMigration> migrations,
    TimeProvider timeProvider,
    ILogger logger)
{
    /// <summary>Applies what is missing; returns the migrations applied by this call.</summary>
    public async Task<IReadOnlyList<LedgerMigration>> ApplyAsync(CancellationToken cancellationToken)
    {
        var dialect = connections.Dialect;
        var applied = new List<LedgerMigration>();
        await using var connection = await connections.OpenAsync(cancellationToken);
        if (await AllAppliedAsync(connection, cancellationToken))
        {
            // Nothing to do, and no write lock taken: a ledger that takes no writes just now (a read-only
            // file, a writer holding the lock) still opens, and its journal spools until it does.
            return applied;
        }

        await using (var transaction = await dialect.BeginMigrationTransactionAsync(connection, cancellationToken))
        {
            await connection.ExecuteAsync(new CommandDefinition(dialect.CreateMigrationsTable, transaction: transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
        }

        foreach (var migration in migrations.OrderBy(m => m.Version))
        {
            await using var transaction = await dialect.BeginMigrationTransactionAsync(connection, cancellationToken);
            var already = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                $"SELECT COUNT(*) FROM migrations WHERE version = {dialect.Parameter("Version")}",
                new { migration.Version }, transaction, cancellationToken: cancellationToken));
            if (already > 0)
            {
                continue;
            }

            try
            {
                await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction, cancellationToken: cancellationToken));
                await connection.ExecuteAsync(new CommandDefinition(
                    $"INSERT INTO migrations (version, name, applied_at) VALUES ({dialect.Parameter("Version")}, {dialect.Parameter("Name")}, {dialect.Parameter("AppliedAt")})",
                    new { migration.Version, migration.Name, AppliedAt = dialect.ToDatabase(timeProvider.GetUtcNow()) },
                    transaction, cancellationToken: cancellationToken));
                await transaction.CommitAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new InvalidOperationException(
                    $"Ledger migration {migration.Version:D4}_{migration.Name} failed on {dialect.Provider}; nothing of it was applied: {ex.Message}", ex);
            }

            logger.MigrationApplied(migration.Version, migration.Name, dialect.Provider);
            applied.Add(migration);
        }

        return applied;
    }

    private async Task<bool> AllAppliedAsync(System.Data.Common.DbConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            var versions = (await connection.QueryAsync<long>(new CommandDefinition("SELECT version FROM migrations", cancellationToken: cancellationToken))).ToHashSet();
            return migrations.All(m => versions.Contains(m.Version));
        }
        catch (System.Data.Common.DbException)
        {
            // A new database has no migrations table yet: the locked path creates it.
            return false;
        }
    }
}
