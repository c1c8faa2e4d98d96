using System.Data.Common;

namespace Routing.Ledger.Storage;

/// <summary>Opens configured connections for one ledger database.</summary>
public sealed class LedgerConnectionFactory(ILedgerDialect dialect, string connectionString)
{
    public ILedgerDialect Dialect { get; } = dialect;

    /// <summary>After a failed write: a pooled connection can keep what broke it (a SQLite handle opened
    /// while the file was read-only stays read-only after the file is writable again), so retries start fresh.</summary>
    public void DiscardPooled() => Dialect.ClearPool(connectionString);

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = Dialect.CreateConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await Dialect.ConfigureConnectionAsync(connection, cancellationToken);
            return connection;
        }
        catch (Exception)
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
