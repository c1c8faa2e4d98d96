using System.Data.Common;
using Dapper;
using Microsoft.Data.SqlClient;

namespace Routing.Ledger.Storage;

/// <summary>SQL Server, a supported provider. Not exercised against a live server in this
/// repository's tests (none is available); its SQL text is checked instead.</summary>
public sealed class SqlServerDialect : ILedgerDialect
{
    public const string MigrationLockResource = "routing_ledger_migrations";

    public string Provider => LedgerProviders.SqlServer;

    public string MigrationFolder => "SqlServer";

    // Indexed columns need a bounded type (an index key is at most 1700 bytes): 256 UTF-16 units.
    public string KeyTextType => "nvarchar(256)";

    public string FreeTextType => "nvarchar(max)";

    public string TimestampType => "datetimeoffset(7)";

    public string IdentityColumn(string name) => $"{name} bigint IDENTITY(1,1) NOT NULL PRIMARY KEY";

    public string Parameter(string name) => "@" + name;

    // SQL Server has no ON CONFLICT; MERGE has known concurrency pitfalls. INSERT ... WHERE NOT
    // EXISTS with UPDLOCK, HOLDLOCK takes a key-range lock, so two writers cannot both insert.
    public string InsertIgnoringDuplicates(string table, IReadOnlyList<string> columns, string keyColumn) =>
        $"INSERT INTO {table} ({string.Join(", ", columns)}) " +
        $"SELECT {string.Join(", ", columns.Select(c => Parameter(LedgerSql.ParameterName(c))))} " +
        $"WHERE NOT EXISTS (SELECT 1 FROM {table} WITH (UPDLOCK, HOLDLOCK) WHERE {keyColumn} = {Parameter(LedgerSql.ParameterName(keyColumn))})";

    public (string AfterSelect, string AtEnd) RowLimit(string limitParameter) => ($"TOP ({Parameter(limitParameter)}) ", "");

    public string CreateMigrationsTable =>
        "IF OBJECT_ID(N'migrations', N'U') IS NULL " +
        "CREATE TABLE migrations (version int NOT NULL PRIMARY KEY, name nvarchar(256) NOT NULL, applied_at datetimeoffset(7) NOT NULL)";

    public object ToDatabase(DateTimeOffset instant) => UtcTimestamps.ToMicroseconds(instant);

    public DateTimeOffset FromDatabase(object value) => UtcTimestamps.FromProviderValue(value);

    // 515 NULL into NOT NULL, 547 FK/CHECK, 2601/2627 duplicate key, 2628/8152 truncation,
    // 241/242 date conversion or out of range.
    public bool IsPermanentRejection(Exception exception) =>
        exception is SqlException sql && sql.Errors.Cast<SqlError>().Any(e => e.Number is 515 or 547 or 2601 or 2627 or 2628 or 8152 or 241 or 242);

    public DbConnection CreateConnection(string connectionString) => new SqlConnection(connectionString);

    public void ClearPool(string connectionString)
    {
        using var connection = new SqlConnection(connectionString);
        SqlConnection.ClearPool(connection);
    }

    public Task PrepareDatabaseAsync(string connectionString, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ConfigureConnectionAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    public string MigrationLockStatement =>
        "DECLARE @result int; " +
        $"EXEC @result = sp_getapplock @Resource = N'{MigrationLockResource}', @LockMode = 'Exclusive', @LockOwner = 'Transaction', @LockTimeout = 60000; " +
        "IF @result < 0 THROW 51120, 'Could not take the ledger migration lock (sp_getapplock).', 1;";

    public async Task<DbTransaction> BeginMigrationTransactionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(MigrationLockStatement, transaction: transaction, cancellationToken: cancellationToken));
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
