using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Routing.Ledger.Tests.Support;

/// <summary>A fresh SQLite file in its own temporary directory (the directory is created by the ledger).</summary>
public sealed class SqliteTestDatabase : LedgerTestDatabase
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "ledger-test-" + Guid.NewGuid().ToString("N"));

    public override string Provider => LedgerProviders.Sqlite;

    public string FilePath => Path.Combine(directory, "var", "ledger.db");

    public override string ConnectionString => $"Data Source={FilePath}";

    public override async Task<DbConnection> OpenRawAsync()
    {
        var connection = new SqliteConnection($"Data Source={FilePath};Pooling=False");
        await connection.OpenAsync();
        return connection;
    }

    // BEGIN EXCLUSIVE from another connection: in WAL mode writers wait, readers go on.
    public override async Task<IAsyncDisposable> StallWritesAsync()
    {
        var connection = await OpenRawAsync();
        await connection.ExecuteAsync("BEGIN EXCLUSIVE");
        return new Release(async () =>
        {
            await connection.ExecuteAsync("COMMIT");
            await connection.DisposeAsync();
        });
    }

    public override ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open; release this database's only.
        using (var pooled = new SqliteConnection(ConnectionString))
        {
            SqliteConnection.ClearPool(pooled);
        }

        DeleteSpool();
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}
