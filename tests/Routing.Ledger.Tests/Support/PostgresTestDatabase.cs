using System.Data.Common;
using Dapper;
using Npgsql;

namespace Routing.Ledger.Tests.Support;

/// <summary>A fresh schema in the PostgreSQL test database, first in the search path, dropped afterwards.</summary>
public sealed class PostgresTestDatabase : LedgerTestDatabase
{
    private readonly string serverConnectionString;
    private readonly string schema = "ledger_test_" + Guid.NewGuid().ToString("N");

    private PostgresTestDatabase(string serverConnectionString)
    {
        this.serverConnectionString = serverConnectionString;
        ConnectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { SearchPath = schema }.ConnectionString;
    }

    public override string Provider => LedgerProviders.Postgres;

    public override string ConnectionString { get; }

    public static async Task<PostgresTestDatabase> CreateAsync()
    {
        var database = new PostgresTestDatabase(PostgresTestServer.RequireConnectionString());
        await using var connection = new NpgsqlConnection(database.serverConnectionString);
        await connection.OpenAsync();
        await connection.ExecuteAsync($"CREATE SCHEMA {database.schema}");
        return database;
    }

    public override async Task<DbConnection> OpenRawAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    // EXCLUSIVE conflicts with the ROW EXCLUSIVE an INSERT needs, not with the ACCESS SHARE of a SELECT.
    public override async Task<IAsyncDisposable> StallWritesAsync()
    {
        var connection = await OpenRawAsync();
        var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("LOCK TABLE calls, legs, call_events IN EXCLUSIVE MODE", transaction: transaction);
        return new Release(async () =>
        {
            await transaction.CommitAsync();
            await connection.DisposeAsync();
        });
    }

    public override async ValueTask DisposeAsync()
    {
        DeleteSpool();
        await using (var pooled = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        await using var connection = new NpgsqlConnection(serverConnectionString);
        await connection.OpenAsync();
        await connection.ExecuteAsync($"DROP SCHEMA IF EXISTS {schema} CASCADE");
    }
}
