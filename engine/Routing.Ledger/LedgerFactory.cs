using Microsoft.Extensions.Logging;
using Routing.Ledger.Chain;
using Routing.Ledger.Migrations;
using Routing.Ledger.Spool;
using Routing.Ledger.Storage;

namespace Routing.Ledger;

/// <summary>Opens a ledger: validates options, prepares the database, applies migrations (as the
/// migration owner when <see cref="LedgerOptions.MigrationConnectionString"/> is set), reads the chain
/// head, picks up any spool an earlier run left (replayed first), starts the writer.</summary>
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

        var owner = string.IsNullOrEmpty(options.MigrationConnectionString)
            ? connections
            : new LedgerConnectionFactory(dialect, options.MigrationConnectionString);
        await dialect.PrepareDatabaseAsync(options.ConnectionString, cancellationToken);
        await new LedgerMigrator(owner, migrations, timeProvider, logger).ApplyAsync(cancellationToken);
        logger.LedgerOpened(options.ToString());

        var signer = CheckpointSigner.From(options.Chain);
        if (signer is null)
        {
            logger.NoCheckpointKey();
        }

        var chain = new ChainLinker(dialect, options.NodeId, signer, options.Chain.CheckpointEvery, timeProvider);
        await using (var connection = await connections.OpenAsync(cancellationToken))
        {
            await chain.LoadHeadAsync(connection, cancellationToken);
        }

        var journalLogger = loggerFactory.CreateLogger<LedgerJournal>();
        var spoolLock = options.Spool.Enabled ? SpoolReader.Lock(options.Spool.Directory) : null;
        try
        {
            var leftovers = spoolLock is null ? [] : SpoolReader.ReadLeftovers(options.Spool.Directory, dialect, journalLogger);
            var journal = new LedgerJournal(connections, options, chain, spoolLock, leftovers, timeProvider, journalLogger);
            return new Ledger(journal, new LedgerReader(connections, journal.UnsettledRows), dialect);
        }
        catch
        {
            spoolLock?.Dispose();
            throw;
        }
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
