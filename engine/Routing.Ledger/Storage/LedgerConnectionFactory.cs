using System.Data.Common;

namespace Routing.Ledger.Storage;

/// <summary>Opens configured connections for one ledger database.</summary>
public sealed class LedgerConnectionFactory(ILedgerDialect dialect, string connectionString)
{
    public ILedgerDialect Dialect { get; } = dialect;

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
