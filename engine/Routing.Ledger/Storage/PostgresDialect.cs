using System.Data.Common;
using Dapper;
using Npgsql;

namespace Routing.Ledger.Storage;

/// <summary>PostgreSQL, for multi-node deployments. Tables are created in the first schema of the
/// connection's search path, so one database can hold several isolated ledgers.</summary>
public sealed class PostgresDialect : ILedgerDialect
{
    /// <summary>Key of the transaction-scoped advisory lock serialising migrations across nodes.</summary>
    public const long MigrationLockKey = 112_0001_0001;

    public string Provider => LedgerProviders.Postgres;

    public string MigrationFolder => "Postgres";

    public string KeyTextType => "text";

    public string FreeTextType => "text";

    public string TimestampType => "timestamptz";

    public string IdentityColumn(string name) => $"{name} bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY";

    public string Parameter(string name) => "@" + name;

    public string InsertIgnoringDuplicates(string table, IReadOnlyList<string> columns, string keyColumn) =>
        $"INSERT INTO {table} ({string.Join(", ", columns)}) " +
        $"VALUES ({string.Join(", ", columns.Select(c => Parameter(LedgerSql.ParameterName(c))))}) " +
        $"ON CONFLICT ({keyColumn}) DO NOTHING";

    public (string AfterSelect, string AtEnd) RowLimit(string limitParameter) => ("", $" LIMIT {Parameter(limitParameter)}");

    public string CreateMigrationsTable =>
        "CREATE TABLE IF NOT EXISTS migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)";

    // Npgsql writes a DateTimeOffset to timestamptz only with offset zero.
    public object ToDatabase(DateTimeOffset instant) => UtcTimestamps.ToMicroseconds(instant);

    public DateTimeOffset FromDatabase(object value) => UtcTimestamps.FromProviderValue(value);

    // Class 22 (data exception) and 23 (integrity constraint violation).
    public bool IsPermanentRejection(Exception exception) =>
        exception is PostgresException { SqlState: var state } && (state.StartsWith("22", StringComparison.Ordinal) || state.StartsWith("23", StringComparison.Ordinal));

    public DbConnection CreateConnection(string connectionString) => new NpgsqlConnection(connectionString);

    public void ClearPool(string connectionString)
    {
        using var connection = new NpgsqlConnection(connectionString);
        NpgsqlConnection.ClearPool(connection);
    }

    public Task PrepareDatabaseAsync(string connectionString, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ConfigureConnectionAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<DbTransaction> BeginMigrationTransactionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            // Released by commit or rollback; a second node starting at once waits here, then sees
            // the migration recorded and skips it. Taken before CREATE TABLE IF NOT EXISTS, which
            // is not safe against a concurrent identical CREATE on PostgreSQL.
            await connection.ExecuteAsync(new CommandDefinition(
                "SELECT pg_advisory_xact_lock(@Key)", new { Key = MigrationLockKey }, transaction, cancellationToken: cancellationToken));
            return transaction;
        }
        catch (Exception)
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    public async Task<DbTransaction> BeginWriteTransactionAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(cancellationToken);
}
