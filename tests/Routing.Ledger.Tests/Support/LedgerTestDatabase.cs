using System.Data.Common;

namespace Routing.Ledger.Tests.Support;

/// <summary>One empty ledger database for one test, plus the handles a test needs to misbehave:
/// a raw connection and a way to stall every write.</summary>
public abstract class LedgerTestDatabase : IAsyncDisposable
{
    public abstract string Provider { get; }

    public abstract string ConnectionString { get; }

    /// <summary>This test's own spool directory (removed with the database).</summary>
    public string SpoolDirectory { get; } = Path.Combine(Path.GetTempPath(), "ledger-spool-" + Guid.NewGuid().ToString("N"));

    /// <summary>A base64 HMAC key for signed checkpoints (tests only).</summary>
    public const string TestHmacKey = "dGVzdC1rZXktZm9yLWxlZGdlci1jaGVja3BvaW50cy0xMTI=";

    /// <summary>The database path alone (no spool), unless a test turns the spool on: the suite's
    /// older facts pin what the journal does with the database itself.</summary>
    public LedgerOptions Options(Action<LedgerOptions>? adjust = null)
    {
        var options = new LedgerOptions
        {
            Provider = Provider,
            ConnectionString = ConnectionString,
            NodeId = "node-a",
            // Tests that do not set it read what they just awaited: "awaited means committed" must not
            // hinge on a commit taking under 250 ms on a loaded box (Hostile_strings_round_trip_exactly
            // read null that way). Tests about lateness set their own bound.
            WriteBeforeActTimeout = TimeSpan.FromSeconds(30),
            ShutdownFlushTimeout = TimeSpan.FromSeconds(10),
        };
        options.Spool.Enabled = false;
        options.Spool.Directory = SpoolDirectory;
        options.Chain.HmacKey = TestHmacKey;
        adjust?.Invoke(options);
        return options;
    }

    /// <summary>A connection of the test's own, outside the ledger.</summary>
    public abstract Task<DbConnection> OpenRawAsync();

    /// <summary>Holds a lock that blocks every ledger insert (readers still read) until disposed.</summary>
    public abstract Task<IAsyncDisposable> StallWritesAsync();

    public abstract ValueTask DisposeAsync();

    protected void DeleteSpool()
    {
        if (Directory.Exists(SpoolDirectory))
        {
            Directory.Delete(SpoolDirectory, recursive: true);
        }
    }

    protected sealed class Release(Func<ValueTask> release) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => release();
    }
}
