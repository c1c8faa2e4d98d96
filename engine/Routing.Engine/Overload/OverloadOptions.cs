namespace Routing.Engine.Overload;

/// <summary>
/// When the engine stops taking new callers and hands them to the dialplan fallback instead (section
/// <c>Overload</c>). A signal at or above its shed threshold starts shedding; shedding stops once every
/// signal has stayed below <see cref="RecoverFraction"/> of its threshold for <see cref="RecoverAfter"/>.
/// A threshold of zero leaves that signal out.
/// </summary>
public sealed class OverloadOptions
{
    public const string Section = "Overload";

    /// <summary>false: every caller is routed by the engine, however late it runs.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Mean age of ARI events on arrival (our clock minus the event's timestamp). Needs Asterisk
    /// and the engine on clocks that agree (the same host, or NTP); zero leaves it out.</summary>
    public TimeSpan EventAge { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Mean time a call's ARI REST request takes to be answered.</summary>
    public TimeSpan RestLatency { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>ARI events received but not yet dispatched to their calls (the dispatcher's mailbox).</summary>
    public int EventBacklog { get; set; } = 2_000;

    /// <summary>Ledger records waiting to be written.</summary>
    public int LedgerBacklog { get; set; } = 5_000;

    /// <summary>The latency signals are means over the last one to two windows; a window with no
    /// sample counts as no lag, so an idle engine always recovers.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Recovery needs every signal below this share of its threshold (0–1, exclusive).</summary>
    public double RecoverFraction { get; set; } = 0.5;

    /// <summary>... continuously for this long, so the engine does not flap between the two.</summary>
    public TimeSpan RecoverAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>At most one "callers shed" log line per interval (with the count since the last one).</summary>
    public TimeSpan ShedLogInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>While shedding, also raise the dialplan's flag (global <c>ROUTING112_SHED_UNTIL</c> over AMI), so
    /// that Asterisk sends new callers to the fallback without Stasis(): a shed caller then costs Asterisk what
    /// a pure-dialplan call costs, not a StasisStart, an ARI event and a <c>continue</c>. Needs AMI.</summary>
    public bool DialplanFlag { get; set; } = true;

    /// <summary>How far ahead the flag's Unix time is set (re-set every second while shedding): an engine that
    /// dies while shedding stops holding callers off after this. Whole seconds, 2 or more (EPOCH counts seconds).</summary>
    public TimeSpan DialplanFlagHold { get; set; } = TimeSpan.FromSeconds(3);

    public IEnumerable<string> Validate()
    {
        if (DialplanFlagHold < TimeSpan.FromSeconds(2) || DialplanFlagHold.Ticks % TimeSpan.TicksPerSecond != 0)
            yield return $"{Section}:DialplanFlagHold must be whole seconds of at least 2 (the dialplan compares it with EPOCH), not {DialplanFlagHold}";
        if (EventAge < TimeSpan.Zero) yield return $"{Section}:EventAge must not be negative (is {EventAge}); zero leaves it out";
        if (RestLatency < TimeSpan.Zero) yield return $"{Section}:RestLatency must not be negative (is {RestLatency}); zero leaves it out";
        if (EventBacklog < 0) yield return $"{Section}:EventBacklog must not be negative (is {EventBacklog}); zero leaves it out";
        if (LedgerBacklog < 0) yield return $"{Section}:LedgerBacklog must not be negative (is {LedgerBacklog}); zero leaves it out";
        if (Enabled && EventAge == TimeSpan.Zero && RestLatency == TimeSpan.Zero && EventBacklog == 0 && LedgerBacklog == 0)
            yield return $"{Section}: every threshold is zero, so nothing could start shedding; set {Section}:Enabled to false instead";
        if (Window <= TimeSpan.Zero) yield return $"{Section}:Window must be greater than zero (is {Window})";
        if (!(RecoverFraction is > 0 and < 1)) yield return $"{Section}:RecoverFraction must be between 0 and 1, exclusive (is {RecoverFraction})";
        if (RecoverAfter < TimeSpan.Zero) yield return $"{Section}:RecoverAfter must not be negative (is {RecoverAfter})";
        if (ShedLogInterval <= TimeSpan.Zero) yield return $"{Section}:ShedLogInterval must be greater than zero (is {ShedLogInterval})";
    }
}
