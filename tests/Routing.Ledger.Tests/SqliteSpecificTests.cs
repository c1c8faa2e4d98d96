using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Routing.Calls.Ports;
using Routing.Ledger.Tests.Support;

namespace Routing.Ledger.Tests;

public sealed class SqliteSpecificTests : IAsyncLifetime
{
    private readonly SqliteTestDatabase database = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await database.DisposeAsync();

    [Fact]
    public async Task A_missing_directory_is_created_and_the_file_runs_in_wal_mode()
    {
        Assert.False(Directory.Exists(Path.GetDirectoryName(database.FilePath)));

        await using var ledger = await LedgerFactory.CreateAsync(database.Options(), NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None);

        Assert.True(File.Exists(database.FilePath));
        await using var raw = await database.OpenRawAsync();
        Assert.Equal("wal", await raw.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
    }

    [Fact]
    public async Task Ledger_connections_use_normal_sync_a_busy_timeout_and_foreign_keys()
    {
        await using var ledger = await LedgerFactory.CreateAsync(database.Options(), NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None);
        var connections = new Storage.LedgerConnectionFactory(ledger.Dialect, database.ConnectionString);

        await using var connection = await connections.OpenAsync(CancellationToken.None);

        Assert.Equal(1L, await connection.ExecuteScalarAsync<long>("PRAGMA synchronous")); // 1 = NORMAL
        Assert.Equal(5_000L, await connection.ExecuteScalarAsync<long>("PRAGMA busy_timeout"));
        Assert.Equal(1L, await connection.ExecuteScalarAsync<long>("PRAGMA foreign_keys"));
    }

    [Fact]
    public async Task The_writers_transaction_takes_the_write_lock_at_its_start()
    {
        await using var ledger = await LedgerFactory.CreateAsync(database.Options(), NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None);
        var dialect = new Storage.SqliteDialect();
        await using var writer = await new Storage.LedgerConnectionFactory(dialect, database.ConnectionString).OpenAsync(CancellationToken.None);

        await using var transaction = await dialect.BeginWriteTransactionAsync(writer, CancellationToken.None);

        // BEGIN IMMEDIATE: a second writer is refused before this one has written anything (a deferred BEGIN would let it in).
        await using var other = await database.OpenRawAsync();
        await other.ExecuteAsync("PRAGMA busy_timeout = 0");
        var busy = await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => other.ExecuteAsync("BEGIN IMMEDIATE"));
        Assert.Equal(5, busy.SqliteErrorCode); // SQLITE_BUSY
    }

    [Fact]
    public async Task Instants_are_stored_as_utc_iso_8601_text()
    {
        await using var ledger = await LedgerFactory.CreateAsync(database.Options(), NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None);
        var arrivedAt = new DateTimeOffset(2026, 11, 24, 9, 15, 0, TimeSpan.FromHours(5)).AddTicks(70);

        await ledger.Journal.CallArrivedAsync(new CallRecord("utc", "chan", "+7701", "112", "112", arrivedAt), CancellationToken.None);

        await using var raw = await database.OpenRawAsync();
        Assert.Equal("2026-11-24T04:15:00.000007Z", await raw.ExecuteScalarAsync<string>("SELECT arrived_at FROM calls"));
    }

    [Theory]
    [InlineData("UPDATE calls SET caller_number = '+70000000000'", "calls rows are never updated")]
    [InlineData("DELETE FROM calls", "calls rows are never deleted")]
    [InlineData("UPDATE legs SET trunk = 'other'", "legs rows are never updated")]
    [InlineData("DELETE FROM legs", "legs rows are never deleted")]
    [InlineData("UPDATE call_events SET detail = 'changed'", "call_events rows are never updated")]
    [InlineData("DELETE FROM call_events", "call_events rows are never deleted")]
    [InlineData("DELETE FROM rejected_records", "rejected_records rows are never deleted")]
    [InlineData("DELETE FROM ledger_checkpoints", "ledger_checkpoints rows are never deleted")]
    public async Task The_database_itself_refuses_to_change_or_remove_a_ledger_row(string statement, string refusal)
    {
        await using var ledger = await LedgerFactory.CreateAsync(database.Options(o => o.Chain.CheckpointEvery = 1), NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None);
        await ledger.Journal.CallArrivedAsync(new CallRecord("kept", "chan", "+7701", "112", "112", DateTimeOffset.UtcNow), CancellationToken.None);
        await ledger.Journal.LegPlannedAsync(new LegRecord("leg", "kept", "leg-chan", "fire", "almaty", "fire-1", "PJSIP/fire", 1, DateTimeOffset.UtcNow), CancellationToken.None);
        await ledger.Journal.AppendAsync(new CallEventRecord("kept", null, DateTimeOffset.UtcNow, "state", "Arrived -> Answered"), CancellationToken.None);
        await using var raw = await database.OpenRawAsync();
        await raw.ExecuteAsync("INSERT INTO rejected_records (record_key, record_type, call_id, payload, error, rejected_at, node_id) VALUES ('k', 'leg', 'kept', '{}', 'e', 'now', 'node-a')");

        var refused = await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => raw.ExecuteAsync(statement));

        Assert.Contains(refusal, refused.Message);
        Assert.Equal(1L, await raw.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM calls WHERE caller_number = '+7701'"));
    }
}
