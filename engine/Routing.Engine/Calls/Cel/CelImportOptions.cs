namespace Routing.Engine.Calls.Cel;

/// <summary>Reading Asterisk's CEL file for calls routed without the engine, bound from <c>Asterisk:CelImport</c>.</summary>
public sealed class CelImportOptions
{
    public const string Section = "Asterisk:CelImport";

    /// <summary>cel_custom's output (dialplans/cel_custom.conf: <c>cel-custom/routing112.csv</c> under Asterisk's log
    /// directory). Empty: no import. The engine must be able to read it (same host, or a shared path).</summary>
    public string File { get; set; } = "";

    /// <summary>How often the file is read for new lines (and once at start).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Offset of times CEL writes without a zone (Asterisk writes local time; set TZ=UTC for Asterisk
    /// or give its offset here).</summary>
    public TimeSpan UtcOffset { get; set; } = TimeSpan.Zero;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (File.Length > 0 && Interval < TimeSpan.FromSeconds(1)) errors.Add($"{Section}:Interval {Interval} is shorter than a second");
        if (UtcOffset < TimeSpan.FromHours(-14) || UtcOffset > TimeSpan.FromHours(14)) errors.Add($"{Section}:UtcOffset {UtcOffset} is not a UTC offset");
        return errors;
    }
}
