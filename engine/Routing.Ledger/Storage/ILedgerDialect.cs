using System.Data.Common;

namespace Routing.Ledger.Storage;

/// <summary>
/// Everything that differs between SQLite, PostgreSQL and SQL Server, so the ledger's Dapper code is
/// written once. Statements use <see cref="Parameter"/> placeholders; all three providers accept
/// <c>@name</c>, but the dialect says so rather than the callers assuming it.
/// </summary>
public interface ILedgerDialect
{
    /// <summary>The <see cref="LedgerOptions.Provider"/> name.</summary>
    string Provider { get; }

    /// <summary>Folder of this dialect's embedded migration scripts (<c>ledger/&lt;folder&gt;/NNNN_name.sql</c>).</summary>
    string MigrationFolder { get; }

    /// <summary>Column type for keys and short text that is indexed (ids, kinds).</summary>
    string KeyTextType { get; }

    /// <summary>Column type for free text of any length.</summary>
    string FreeTextType { get; }

    /// <summary>Column type for an instant, stored in UTC.</summary>
    string TimestampType { get; }

    /// <summary>Column definition of an auto-numbered primary key (call_events.seq).</summary>
    string IdentityColumn(string name);

    /// <summary>The placeholder for parameter <paramref name="name"/> in SQL text.</summary>
    string Parameter(string name);

    /// <summary>An INSERT that silently does nothing when a row with the same key exists, so replays
    /// (retries, a spool catching up) are idempotent.</summary>
    string InsertIgnoringDuplicates(string table, IReadOnlyList<string> columns, string keyColumn);

    /// <summary>A SELECT of at most <paramref name="limitParameter"/> rows: <c>{select} ... {limit}</c>.
    /// Returns the fragment after SELECT (SQL Server's TOP) and the trailing fragment (LIMIT).</summary>
    (string AfterSelect, string AtEnd) RowLimit(string limitParameter);

    /// <summary>DDL creating the <c>migrations</c> table when absent.</summary>
    string CreateMigrationsTable { get; }

    /// <summary>The value to bind for an instant (UTC; ISO-8601 text on SQLite).</summary>
    object ToDatabase(DateTimeOffset instant);

    /// <summary>Reads back what <see cref="ToDatabase"/> stored.</summary>
    DateTimeOffset FromDatabase(object value);

    DbConnection CreateConnection(string connectionString);

    /// <summary>Closes the idle pooled connections of <paramref name="connectionString"/> (those in use are
    /// closed when returned), so the next open is a fresh one.</summary>
    void ClearPool(string connectionString);

    /// <summary>Once per process before first use: e.g. create SQLite's directory, switch to WAL.</summary>
    Task PrepareDatabaseAsync(string connectionString, CancellationToken cancellationToken);

    /// <summary>After every open: per-connection settings (SQLite pragmas).</summary>
    Task ConfigureConnectionAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Begins a transaction that holds the ledger-wide migration lock until it ends, so two
    /// nodes starting at once apply each migration exactly once.</summary>
    Task<DbTransaction> BeginMigrationTransactionAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>True when the database refused a row for good (constraint or data error): retrying
    /// the same row can never succeed, unlike a lost connection, a lock timeout or a missing table.</summary>
    bool IsPermanentRejection(Exception exception);

    /// <summary>Begins the writer's transaction.</summary>
    Task<DbTransaction> BeginWriteTransactionAsync(DbConnection connection, CancellationToken cancellationToken);
}
