using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Routing.Ledger.Storage;

/// <summary>
/// SQLite, the single-node default. WAL lets the admin API and tests read while the writer writes.
/// synchronous=NORMAL: in WAL mode a commit is already safe against a crash of the engine process
/// (it is in the WAL file when Commit returns) and the file can never be corrupted; only a power loss
/// or OS crash may roll back the last few commits, since the WAL is fsynced at checkpoints rather than
/// at every commit. FULL would add an fsync per batch; deployments that need power-loss durability
/// across machines use PostgreSQL.
/// </summary>
public sealed class SqliteDialect : ILedgerDialect
{
    /// <summary>How long SQLite itself waits for another connection's lock before SQLITE_BUSY.</summary>
    public const int BusyTimeoutMilliseconds = 5_000;

    public string Provider => LedgerProviders.Sqlite;

    public string MigrationFolder => "Sqlite";

    public string KeyTextType => "TEXT";

    public string FreeTextType => "TEXT";

    public string TimestampType => "TEXT";

    public string IdentityColumn(string name) => $"{name} INTEGER PRIMARY KEY AUTOINCREMENT";

    public string Parameter(string name) => "@" + name;

    public string InsertIgnoringDuplicates(string table, IReadOnlyList<string> columns, string keyColumn) =>
        $"INSERT INTO {table} ({string.Join(", ", columns)}) " +
        $"VALUES ({string.Join(", ", columns.Select(c => Parameter(LedgerSql.ParameterName(c))))}) " +
        $"ON CONFLICT ({keyColumn}) DO NOTHING";

    public (string AfterSelect, string AtEnd) RowLimit(string limitParameter) => ("", $" LIMIT {Parameter(limitParameter)}");

    public string CreateMigrationsTable =>
        "CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY NOT NULL, name TEXT NOT NULL, applied_at TEXT NOT NULL)";

    public object ToDatabase(DateTimeOffset instant) => UtcTimestamps.ToSqliteText(instant);

    public DateTimeOffset FromDatabase(object value) => UtcTimestamps.FromProviderValue(value);

    // SQLITE_TOOBIG 18, SQLITE_CONSTRAINT 19, SQLITE_MISMATCH 20.
    public bool IsPermanentRejection(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 18 or 19 or 20 };

    public DbConnection CreateConnection(string connectionString) => new SqliteConnection(connectionString);

    public void ClearPool(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        SqliteConnection.ClearPool(connection);
    }

    public async Task PrepareDatabaseAsync(string connectionString, CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var isFile = builder.Mode != SqliteOpenMode.Memory
            && !string.IsNullOrEmpty(builder.DataSource)
            && builder.DataSource != ":memory:"
            && !builder.DataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase);
        if (!isFile)
        {
            return;
        }

        // The default "Data Source=var/ledger.db" must work on a fresh checkout.
        var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        await using var connection = CreateConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        // WAL is a property of the file: set once, it stays.
        var mode = await connection.ExecuteScalarAsync<string>(new CommandDefinition("PRAGMA journal_mode=WAL", cancellationToken: cancellationToken));
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"SQLite ledger '{builder.DataSource}' refused WAL mode (journal_mode is '{mode}').");
        }
    }

    public async Task ConfigureConnectionAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(
            $"PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={BusyTimeoutMilliseconds}; PRAGMA foreign_keys=ON;",
            cancellationToken: cancellationToken));

    // Not deferred = BEGIN IMMEDIATE: takes the write lock up front, so two starting processes
    // serialise here instead of failing later with SQLITE_BUSY on a lock upgrade.
    public Task<DbTransaction> BeginMigrationTransactionAsync(DbConnection connection, CancellationToken cancellationToken) =>
        BeginImmediate(connection, cancellationToken);

    // Unspecified rather than the default Serializable: the same BEGIN IMMEDIATE (Microsoft.Data.Sqlite reads an
    // unspecified level as serializable on a private cache), without the "PRAGMA read_uncommitted = 0" statement it
    // runs first for an explicit Serializable: one statement fewer per commit of the writer (issue 11).
    public Task<DbTransaction> BeginWriteTransactionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(System.Data.IsolationLevel.Unspecified, deferred: false));
    }

    private static Task<DbTransaction> BeginImmediate(DbConnection connection, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));
    }
}
