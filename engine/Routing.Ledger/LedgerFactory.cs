using Microsoft.Extensions.Logging;
using Routing.Ledger.Migrations;
using Routing.Ledger.Storage;

namespace Routing.Ledger;

/// <summary>Opens a ledger: validates options, prepares the database, applies migrations, starts the writer.</summary>
public static class LedgerFactory
{
    public static Task<Ledger> CreateAsync(LedgerOptions options, ILoggerFactory loggerFactory, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        var dialect = LedgerDialects.ForProvider(options.Provider);
        return CreateAsync(options, MigrationCatalog.For(dialect), loggerFactory, timeProvider, cancellationToken);
    }

    /// <summary>As above with an explicit migration list (tests add migrations to prove upgrades).</summary>
    internal static async Task<Ledger> CreateAsync(
        LedgerOptions options, IReadOnlyList<LedgerMigration> migrations, ILoggerFactory loggerFactory, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        options.ThrowIfInvalid();
        var dialect = LedgerDialects.ForProvider(options.Provider);
        var connections = new LedgerConnectionFactory(dialect, options.ConnectionString);
        var logger = loggerFactory.CreateLogger("Routing.Ledger");

        await dialect.PrepareDatabaseAsync(options.ConnectionString, cancellationToken);
        await new LedgerMigrator(connections, migrations, timeProvider, logger).ApplyAsync(cancellationToken);
        logger.LedgerOpened(options.ToString());

        var journal = new LedgerJournal(connections, options, timeProvider, loggerFactory.CreateLogger<LedgerJournal>());
        return new Ledger(journal, new LedgerReader(connections), dialect);
    }
}

/// <summary>An open ledger: the journal the calls write to and the reader everyone queries.
/// Disposing it flushes the journal.</summary>
public sealed class Ledger(LedgerJournal journal, LedgerReader reader, ILedgerDialect dialect) : IAsyncDisposable
{
    public LedgerJournal Journal { get; } = journal;

    public LedgerReader Reader { get; } = reader;

    public ILedgerDialect Dialect { get; } = dialect;

    public ValueTask DisposeAsync() => Journal.DisposeAsync();
}
