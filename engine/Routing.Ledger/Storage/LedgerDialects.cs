namespace Routing.Ledger.Storage;

public static class LedgerDialects
{
    /// <summary>The dialect for a <see cref="LedgerOptions.Provider"/> name (case-insensitive).</summary>
    public static ILedgerDialect ForProvider(string provider) => provider?.ToLowerInvariant() switch
    {
        LedgerProviders.Sqlite => new SqliteDialect(),
        LedgerProviders.Postgres => new PostgresDialect(),
        LedgerProviders.SqlServer => new SqlServerDialect(),
        _ => throw new ArgumentException(
            $"{LedgerOptions.SectionName}:{nameof(LedgerOptions.Provider)} '{provider}' is unknown; use one of: {string.Join(", ", LedgerProviders.All)}.",
            nameof(provider)),
    };
}
