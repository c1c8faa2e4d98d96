namespace Routing.Engine.Recordings;

/// <summary>Where Asterisk's MixMonitor writes each call's recording and how long it is kept, bound from
/// <c>Recordings</c>. The dialplan starts MixMonitor before Stasis() (dialplans/extensions.conf), so every
/// call is recorded from arrival whether or not the engine is alive; the engine indexes finished files.</summary>
public sealed class RecordingsOptions
{
    public const string Section = "Recordings";

    /// <summary>Index finished recordings into the ledger (needs <see cref="Directory"/> readable by the engine).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The same directory as the dialplan's RECORDINGS_DIR; files are <c>yyyy/MM/dd/&lt;caller channel id&gt;.wav</c>.</summary>
    public string Directory { get; set; } = "var/recordings";

    /// <summary>How long recordings are kept; <c>routing recordings purge</c> deletes older ones (and records that it did).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(5 * 365);

    public TimeSpan IndexInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A file unchanged for this long after its call ended is finished (MixMonitor closes it at hang-up).</summary>
    public TimeSpan SettleTime { get; set; } = TimeSpan.FromSeconds(5);

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Enabled && string.IsNullOrWhiteSpace(Directory)) errors.Add($"{Section}:Directory is empty");
        if (Retention < TimeSpan.FromDays(1)) errors.Add($"{Section}:Retention {Retention} is shorter than a day: evidence would be gone before anyone asked for it");
        if (IndexInterval < TimeSpan.FromSeconds(1)) errors.Add($"{Section}:IndexInterval {IndexInterval} is shorter than a second");
        if (SettleTime < TimeSpan.Zero) errors.Add($"{Section}:SettleTime is negative");
        return errors;
    }
}
