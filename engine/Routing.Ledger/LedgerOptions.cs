using System.Text.RegularExpressions;
using Routing.Ledger.Chain;
using Routing.Ledger.Spool;

namespace Routing.Ledger;

/// <summary>Configuration section <c>Ledger</c>: where the durable call record lives and how long
/// a call may wait for it (write before act, bounded so a slow database never holds a caller).</summary>
public sealed partial class LedgerOptions
{
    public const string SectionName = "Ledger";

    /// <summary><c>sqlite</c> (single node, default), <c>postgres</c> (multi-node) or <c>sqlserver</c>.</summary>
    public string Provider { get; set; } = LedgerProviders.Sqlite;

    public string ConnectionString { get; set; } = "Data Source=var/ledger.db";

    /// <summary>How long a call waits for its record to be committed before it acts anyway. The
    /// record is still written later (counted as late), never dropped.</summary>
    public TimeSpan WriteBeforeActTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Records waiting for the writer. When full, callers wait for space, still within
    /// <see cref="WriteBeforeActTimeout"/>.</summary>
    public int QueueCapacity { get; set; } = 100_000;

    /// <summary>Records committed per transaction at most.</summary>
    public int MaxBatch { get; set; } = 256;

    /// <summary>Written into every row, so multi-node deployments know which engine recorded what
    /// (and which node must re-adopt a call after a crash).</summary>
    public string NodeId { get; set; } = Environment.MachineName;

    /// <summary>How long disposal keeps retrying to flush pending records before it gives up and
    /// logs how many were not written.</summary>
    public TimeSpan ShutdownFlushTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>PostgreSQL: the migration owner's connection (DDL, roles, grants), when the engine's own
    /// <see cref="ConnectionString"/> logs in as a role that may only INSERT and SELECT. Empty: migrations
    /// use <see cref="ConnectionString"/>. Passwords are masked in <see cref="ToString"/>.</summary>
    public string MigrationConnectionString { get; set; } = "";

    public LedgerSpoolOptions Spool { get; set; } = new();

    public LedgerChainOptions Chain { get; set; } = new();

    /// <summary>Every problem, each naming its key (<c>Ledger:Provider</c>, ...). Empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!LedgerProviders.All.Contains(Provider ?? "", StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"{SectionName}:{nameof(Provider)} '{Provider}' is unknown; use one of: {string.Join(", ", LedgerProviders.All)}.");
        }

        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            errors.Add($"{SectionName}:{nameof(ConnectionString)} is empty.");
        }

        if (WriteBeforeActTimeout <= TimeSpan.Zero || WriteBeforeActTimeout > TimeSpan.FromSeconds(30))
        {
            errors.Add($"{SectionName}:{nameof(WriteBeforeActTimeout)} {WriteBeforeActTimeout} must be more than 0 and at most 30 s: a call waits this long at most.");
        }

        if (QueueCapacity < 1)
        {
            errors.Add($"{SectionName}:{nameof(QueueCapacity)} {QueueCapacity} must be at least 1.");
        }

        if (MaxBatch < 1)
        {
            errors.Add($"{SectionName}:{nameof(MaxBatch)} {MaxBatch} must be at least 1.");
        }

        if (string.IsNullOrWhiteSpace(NodeId) || NodeId.Length > StorableText.MaxKeyLength)
        {
            errors.Add($"{SectionName}:{nameof(NodeId)} must be 1 to {StorableText.MaxKeyLength} characters.");
        }

        if (ShutdownFlushTimeout < TimeSpan.Zero)
        {
            errors.Add($"{SectionName}:{nameof(ShutdownFlushTimeout)} {ShutdownFlushTimeout} must not be negative.");
        }

        Spool.Validate(WriteBeforeActTimeout, errors);
        Chain.Validate(errors);
        return errors;
    }

    /// <summary>Throws <see cref="InvalidOperationException"/> listing every problem.</summary>
    public void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Invalid ledger configuration: " + string.Join(" ", errors));
        }
    }

    /// <summary>Safe to log: passwords in the connection string are masked.</summary>
    public override string ToString() =>
        $"{SectionName}: {nameof(Provider)}={Provider}, {nameof(ConnectionString)}={MaskPasswords(ConnectionString)}, " +
        $"{nameof(WriteBeforeActTimeout)}={WriteBeforeActTimeout.TotalMilliseconds} ms, {nameof(QueueCapacity)}={QueueCapacity}, " +
        $"{nameof(MaxBatch)}={MaxBatch}, {nameof(NodeId)}={NodeId}, " +
        $"{nameof(MigrationConnectionString)}={(string.IsNullOrEmpty(MigrationConnectionString) ? "(same)" : MaskPasswords(MigrationConnectionString))}, " +
        $"{nameof(Spool)}: {Spool}, {nameof(Chain)}: {Chain}";

    /// <summary>Masks the value of every <c>Password=</c> / <c>Pwd=</c> key, quoted or not, in any case.</summary>
    public static string MaskPasswords(string? connectionString) =>
        connectionString is null ? "" : PasswordPattern().Replace(connectionString, "${key}=***");

    // Value: a "double-quoted" or 'single-quoted' string (doubled quotes inside), or anything up to ';'.
    [GeneratedRegex("""(?<key>(?<![^;\s])\s*(?:password|pwd))\s*=\s*(?:"(?:[^"]|"")*"|'(?:[^']|'')*'|[^;]*)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PasswordPattern();
}

/// <summary>The provider names <see cref="LedgerOptions.Provider"/> accepts.</summary>
public static class LedgerProviders
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
    public const string SqlServer = "sqlserver";

    public static IReadOnlyList<string> All { get; } = [Sqlite, Postgres, SqlServer];
}
