namespace Routing.Ledger.Spool;

/// <summary>Configuration section <c>Ledger:Spool</c>: the local append-only file that makes a record
/// "written" while the database is slow or away, so a call goes on without risking its record.</summary>
public sealed class LedgerSpoolOptions
{
    public const string SectionName = LedgerOptions.SectionName + ":Spool";

    /// <summary>Off only for tests and benchmarks that measure the database alone: without the spool a
    /// record the database has not taken lives in memory and dies with the process.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Where this run's spool file and any earlier run's leftovers live.</summary>
    public string Directory { get; set; } = "var/spool";

    /// <summary>How long a record waits for the database before it is spooled instead (less than
    /// <see cref="LedgerOptions.WriteBeforeActTimeout"/>, so the spool's fsync fits in the bound).</summary>
    public TimeSpan After { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Largest total size of spool files. When it is reached the alarm goes off (Critical log,
    /// <c>SpoolFull</c> counter) and records are kept in memory only: the call still goes on.</summary>
    public long MaxBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Records written per fsync at most (group commit).</summary>
    public int MaxBatch { get; set; } = 512;

    public void Validate(TimeSpan writeBeforeActTimeout, List<string> errors)
    {
        if (!Enabled)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(Directory))
        {
            errors.Add($"{SectionName}:{nameof(Directory)} is empty; set a directory or {SectionName}:{nameof(Enabled)}=false.");
        }

        if (After <= TimeSpan.Zero || After >= writeBeforeActTimeout)
        {
            errors.Add($"{SectionName}:{nameof(After)} {After} must be more than 0 and less than {LedgerOptions.SectionName}:{nameof(LedgerOptions.WriteBeforeActTimeout)} ({writeBeforeActTimeout}), so the spool's fsync fits in a call's bounded wait.");
        }

        if (MaxBytes < 64 * 1024)
        {
            errors.Add($"{SectionName}:{nameof(MaxBytes)} {MaxBytes} must be at least 65536.");
        }

        if (MaxBatch < 1)
        {
            errors.Add($"{SectionName}:{nameof(MaxBatch)} {MaxBatch} must be at least 1.");
        }
    }

    public override string ToString() => Enabled
        ? $"{nameof(Directory)}={Directory}, {nameof(After)}={After.TotalMilliseconds} ms, {nameof(MaxBytes)}={MaxBytes}"
        : "disabled";
}
