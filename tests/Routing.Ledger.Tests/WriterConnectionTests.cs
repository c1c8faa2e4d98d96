using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Routing.Ledger.Storage;
using Routing.Ledger.Tests.Support;
using Routing.Ledger.Writing;

namespace Routing.Ledger.Tests;

/// <summary>The writer's connection is opened and configured once and kept across commits (issue 11: opening
/// and configuring one per commit was ~3 % of the engine's CPU), and replaced when it cannot be trusted.</summary>
public sealed class WriterConnectionTests : IAsyncLifetime
{
    private readonly SqliteTestDatabase database = new();
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 7, 2, 0, 0, TimeSpan.Zero));

    public async Task InitializeAsync()
    {
        // Creates the file (WAL) and the schema.
        await using var ledger = await LedgerFactory.CreateAsync(database.Options(), NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None);
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    private LedgerConnectionFactory Connections => new(new SqliteDialect(), database.ConnectionString);

    [Fact]
    public async Task The_connection_is_kept_across_uses_and_keeps_its_pragmas()
    {
        await using var writer = new WriterConnection(Connections, clock);

        var first = await writer.GetAsync(CancellationToken.None);
        clock.Advance(WriterConnection.IdleLifetime - TimeSpan.FromSeconds(1));
        var second = await writer.GetAsync(CancellationToken.None);

        Assert.Same(first, second);
        Assert.Equal(1, writer.Opened);
        await AssertConfiguredAsync(second);
    }

    [Fact]
    public async Task A_discarded_connection_is_replaced_by_a_fresh_configured_one()
    {
        await using var writer = new WriterConnection(Connections, clock);
        var broken = await writer.GetAsync(CancellationToken.None);

        await writer.DiscardAsync();
        var fresh = await writer.GetAsync(CancellationToken.None);

        Assert.NotSame(broken, fresh);
        Assert.Equal(System.Data.ConnectionState.Closed, broken.State);
        Assert.Equal(2, writer.Opened);
        await AssertConfiguredAsync(fresh);
    }

    [Fact]
    public async Task A_connection_idle_past_its_lifetime_is_replaced()
    {
        await using var writer = new WriterConnection(Connections, clock);
        var idle = await writer.GetAsync(CancellationToken.None);

        clock.Advance(WriterConnection.IdleLifetime);
        var fresh = await writer.GetAsync(CancellationToken.None);

        Assert.NotSame(idle, fresh);
        Assert.Equal(2, writer.Opened);
        await AssertConfiguredAsync(fresh);
    }

    [Fact]
    public async Task A_connection_closed_under_the_writer_is_reopened()
    {
        await using var writer = new WriterConnection(Connections, clock);
        var closed = await writer.GetAsync(CancellationToken.None);
        await closed.CloseAsync();

        var fresh = await writer.GetAsync(CancellationToken.None);

        Assert.Equal(System.Data.ConnectionState.Open, fresh.State);
        Assert.Equal(2, writer.Opened);
        await AssertConfiguredAsync(fresh);
    }

    private static async Task AssertConfiguredAsync(System.Data.Common.DbConnection connection)
    {
        Assert.Equal(1L, await connection.ExecuteScalarAsync<long>("PRAGMA synchronous")); // 1 = NORMAL
        Assert.Equal(SqliteDialect.BusyTimeoutMilliseconds, await connection.ExecuteScalarAsync<long>("PRAGMA busy_timeout"));
        Assert.Equal(1L, await connection.ExecuteScalarAsync<long>("PRAGMA foreign_keys"));
    }
}
