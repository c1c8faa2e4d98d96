using System.Data;
using System.Data.Common;
using Routing.Ledger.Storage;

namespace Routing.Ledger.Writing;

/// <summary>
/// The single writer's connection, opened and configured (SQLite's PRAGMAs) once and kept across commits.
/// Opening and configuring a connection for every commit was ~3 % of the engine's CPU at 50 calls/s on a
/// real Asterisk (issue 11). A connection that failed a write is discarded with the pool's idle ones
/// (<see cref="LedgerConnectionFactory.DiscardPooled"/>), so the retry starts on a fresh one; so is one left
/// idle for <see cref="IdleLifetime"/>, which a server, a proxy or a firewall may have cut meanwhile.
/// Owned by the writer loop: not thread-safe.
/// </summary>
internal sealed class WriterConnection(LedgerConnectionFactory connections, TimeProvider timeProvider) : IAsyncDisposable
{
    /// <summary>A connection idle longer than this is replaced before the next commit.</summary>
    public static readonly TimeSpan IdleLifetime = TimeSpan.FromSeconds(30);

    private DbConnection? connection;
    private long lastUsed;
    private long opened;

    /// <summary>Connections opened so far (a kept one counts once); read from any thread.</summary>
    public long Opened => Interlocked.Read(ref opened);

    /// <summary>The open, configured connection: the kept one, or a new one when there is none to keep.</summary>
    public async ValueTask<DbConnection> GetAsync(CancellationToken cancellationToken)
    {
        if (connection is { State: ConnectionState.Open } && timeProvider.GetElapsedTime(lastUsed) < IdleLifetime)
        {
            lastUsed = timeProvider.GetTimestamp();
            return connection;
        }

        await CloseAsync();
        connection = await connections.OpenAsync(cancellationToken);
        Interlocked.Increment(ref opened);
        lastUsed = timeProvider.GetTimestamp();
        return connection;
    }

    /// <summary>After a failed write: the connection, or the pooled ones, may keep what broke it (a SQLite
    /// handle opened while the file was read-only stays read-only), so the retry opens a fresh one.</summary>
    public async ValueTask DiscardAsync()
    {
        await CloseAsync();
        connections.DiscardPooled();
    }

    public ValueTask DisposeAsync() => CloseAsync();

    private async ValueTask CloseAsync()
    {
        if (connection is null)
        {
            return;
        }

        var closing = connection;
        connection = null;
        try
        {
            await closing.DisposeAsync();
        }
        catch (DbException)
        {
            // A broken connection may fail to close; it is gone either way.
        }
    }
}
