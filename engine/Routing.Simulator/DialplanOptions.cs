namespace Routing.Simulator;

/// <summary>
/// One dialplan extension as the simulator runs it:
/// <c>Stasis(App,Args...)</c> at <paramref name="StasisPriority"/>, and, when Stasis fails or the app hands the
/// call back with ROUTING112_FAILOVER=1, <c>Dial(PJSIP/FallbackEndpoint)</c>.
/// </summary>
public sealed record DialplanRoute(string App, IReadOnlyList<string> Args, string FallbackEndpoint, int StasisPriority = 2)
{
    /// <summary>Stasis()'s argument as Asterisk shows it in app_data, e.g. "routing112,direct,fire".</summary>
    public string AppData => Args.Count == 0 ? App : App + "," + string.Join(',', Args);
}

/// <summary>The extensions the simulated dialplan knows: context → extension → route. Extension "_." matches any.</summary>
public sealed class DialplanOptions
{
    /// <summary>Matches any extension of a context (the pattern <c>_.</c>).</summary>
    public const string AnyExtension = "_.";

    /// <summary>Channel variable: "1" asks the dialplan to dial the fallback after the app's <c>continue</c>.</summary>
    public const string FailoverVariable = "ROUTING112_FAILOVER";

    /// <summary>Channel variable: agency name; the fallback dials PJSIP/&lt;agency&gt;.</summary>
    public const string AgencyVariable = "ROUTING112_AGENCY";

    /// <summary>Channel variable: exact endpoint resource (region-aware) for the fallback dial; wins over the agency.</summary>
    public const string FallbackEndpointVariable = "ROUTING112_FALLBACK_ENDPOINT";

    /// <summary>Global variable: while it holds a Unix time later than now, every Stasis extension sends a new
    /// caller to its fallback without entering Stasis, with STASISSTATUS=SHED (the engine's overload flag,
    /// dialplans/extensions.conf).</summary>
    public const string ShedUntilVariable = "ROUTING112_SHED_UNTIL";

    public Dictionary<string, Dictionary<string, DialplanRoute>> Contexts { get; set; } = new();

    /// <summary>Whether the Stasis extensions check <see cref="ShedUntilVariable"/> before Stasis(), as the shipped
    /// dialplan does; false models a dialplan from before the flag.</summary>
    public bool ShedCheck { get; set; } = true;

    /// <summary>Global variable the engine keeps fresh while it reads texts (its clock in Unix seconds).</summary>
    public const string TextHeartbeatVariable = "ROUTING112_TEXT_HEARTBEAT";

    /// <summary>
    /// The text fallback of <c>[messages-app]</c> (dialplans/extensions.conf, <c>TEXT_HEARTBEAT_STALE</c>): a MESSAGE that
    /// finds <see cref="TextHeartbeatVariable"/> this many whole seconds older than the clock, or unset, is forwarded by
    /// the dialplan itself (<see cref="SimulatedAsterisk.DialplanForwardedTexts"/>) — and, as on Asterisk, still offered
    /// to a subscribed app as well. Zero (the default) models a dialplan without the fallback.
    /// </summary>
    public int TextHeartbeatStaleSeconds { get; set; }

    /// <summary>
    /// <c>Set(TIMEOUT(absolute)=N)</c> before every Stasis() (dialplans/extensions.conf, DEADMAN_SECONDS): a caller left
    /// in Stasis this long without anyone re-arming it leaves Stasis and continues at "T", the fallback. Zero (the
    /// default here) arms nothing, as a dialplan without the dead man's switch.
    /// </summary>
    public TimeSpan AbsoluteTimeout { get; set; } = TimeSpan.Zero;

    /// <summary>The Dial() timeout of the fallback, as <c>Dial(PJSIP/police,30)</c>.</summary>
    public TimeSpan FallbackDialTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The shipped engine's contract: from-caller 112 (and any other number) → Stasis(routing112,112), 101..104 → direct
    /// fire/police/ambulance/gas, from-sos → sos, from-app → app; each with its agency as fallback. A new instance each time, so callers may change it.
    /// </summary>
    public static DialplanOptions Default => new()
    {
        Contexts = new()
        {
            ["from-caller"] = new()
            {
                ["112"] = new("routing112", ["112"], "police"),
                ["101"] = new("routing112", ["direct", "fire"], "fire"),
                ["102"] = new("routing112", ["direct", "police"], "police"),
                ["103"] = new("routing112", ["direct", "ambulance"], "ambulance"),
                ["104"] = new("routing112", ["direct", "gas"], "gas"),
                // dialplans/extensions.conf never refuses a caller for what was dialled: anything else is 112.
                [AnyExtension] = new("routing112", ["112"], "police"),
            },
            ["from-sos"] = new() { [AnyExtension] = new("routing112", ["sos"], "police") },
            ["from-app"] = new() { [AnyExtension] = new("routing112", ["app"], "police") },
        },
    };

    /// <summary>The route for an extension, or null when the dialplan has none (Asterisk's "i" extension: hang up).</summary>
    public DialplanRoute? Find(string context, string exten)
    {
        if (!Contexts.TryGetValue(context, out var extens)) return null;
        if (extens.TryGetValue(exten, out var route)) return route;
        return extens.TryGetValue(AnyExtension, out var any) ? any : null;
    }

    internal void Validate()
    {
        if (FallbackDialTimeout <= TimeSpan.Zero)
            throw new ArgumentException("DialplanOptions: FallbackDialTimeout must be positive");
        if (AbsoluteTimeout < TimeSpan.Zero)
            throw new ArgumentException($"DialplanOptions: AbsoluteTimeout {AbsoluteTimeout} must not be negative (zero arms nothing)");
        foreach (var (context, extens) in Contexts)
        {
            if (extens is null) throw new ArgumentException($"DialplanOptions: context '{context}' has no extensions");
            foreach (var (exten, route) in extens)
            {
                string where = $"DialplanOptions: {exten}@{context}";
                if (route is null) throw new ArgumentException($"{where} has no route");
                if (string.IsNullOrWhiteSpace(route.App) || route.App.Contains(','))
                    throw new ArgumentException($"{where}: Stasis app name '{route.App}' is empty or contains a comma");
                if (string.IsNullOrWhiteSpace(route.FallbackEndpoint) || route.FallbackEndpoint.Contains('/'))
                    throw new ArgumentException($"{where}: fallback endpoint '{route.FallbackEndpoint}' must be a PJSIP resource such as 'police'");
                if (route.StasisPriority < 1) throw new ArgumentException($"{where}: Stasis priority must be at least 1");
            }
        }
    }
}
