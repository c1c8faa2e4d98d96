namespace Routing.Calls.Routing;

/// <summary>
/// The routing policy: which region a caller is in, and in which order trunks are tried.
/// Pure and immutable after construction; safe to share between calls.
/// </summary>
public sealed class RoutePlanner
{
    /// <summary>Agency name used for plans and failover variables of the human call-takers.</summary>
    public const string OperatorAgency = "operator";

    private readonly RoutingOptions _options;
    private readonly (string Prefix, string Region)[] _prefixes;

    public RoutePlanner(RoutingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        // Longest prefix first; among equal lengths the configuration order wins (the validator
        // rejects a prefix claimed by two regions, so that tie only happens in a broken config).
        _prefixes = options.Regions
            .SelectMany(r => (r.Value?.CallerPrefixes ?? []).Select(p => (Prefix: CallerText.NormaliseNumber(p), Region: r.Key)))
            .Where(p => p.Prefix.Length > 0)
            .Select((p, i) => (p, i))
            .OrderByDescending(x => x.p.Prefix.Length).ThenBy(x => x.i)
            .Select(x => x.p)
            .ToArray();
    }

    /// <summary>The region of a caller: longest configured prefix of the cleaned number, else
    /// <see cref="RoutingOptions.DefaultRegion"/> (also for empty or anonymous numbers).</summary>
    public string RegionFor(string? callerNumber)
    {
        var number = CallerText.NormaliseNumber(callerNumber);
        if (number.Length > 0)
        {
            foreach (var (prefix, region) in _prefixes)
            {
                if (number.StartsWith(prefix, StringComparison.Ordinal)) return region;
            }
        }
        return _options.DefaultRegion;
    }

    /// <summary>
    /// The region itself, then each region along <see cref="RegionOptions.OverflowTo"/>. The
    /// chain stops at the first region already visited, so <c>a → b → a</c> is a valid two-region
    /// chain, not a loop (the default config has almaty ↔ astana). An unknown region starts from
    /// the default region.
    /// </summary>
    public IReadOnlyList<string> OverflowChain(string region)
    {
        var chain = new List<string>();
        var current = KnownRegion(region) ?? KnownRegion(_options.DefaultRegion);
        while (current is not null && !chain.Contains(current, StringComparer.OrdinalIgnoreCase))
        {
            chain.Add(current);
            current = KnownRegion(_options.Regions[current].OverflowTo);
        }
        return chain;
    }

    /// <summary>The region's trunks for the agency in order, then those of each region along the
    /// overflow chain (no region twice), then the agency's national fallback.</summary>
    public IReadOnlyList<RouteStep> PlanFor(string agency, string region)
    {
        var steps = new List<RouteStep>();
        var chain = OverflowChain(region);
        for (var i = 0; i < chain.Count; i++)
        {
            var stage = i == 0 ? RouteStage.Primary : RouteStage.Overflow;
            if (_options.Regions[chain[i]].Trunks.TryGetValue(agency, out var trunks) && trunks is not null)
            {
                steps.AddRange(trunks.Select(t => new RouteStep(agency, chain[i], t, stage)));
            }
        }
        if (_options.NationalFallback.TryGetValue(agency, out var national) && national is not null)
        {
            var home = chain.Count > 0 ? chain[0] : region;
            steps.AddRange(national.Select(t => new RouteStep(agency, home, t, RouteStage.NationalFallback)));
        }
        return steps;
    }

    /// <summary>The human 112 call-takers, in configured order.</summary>
    public IReadOnlyList<RouteStep> OperatorPlan(string region) =>
        _options.Operators.Trunks.Select(t => new RouteStep(OperatorAgency, region, t, RouteStage.Operator)).ToList();

    private string? KnownRegion(string? name)
    {
        if (string.IsNullOrEmpty(name)) return null;
        // Return the configured spelling so ledger rows and metrics use one name.
        foreach (var key in _options.Regions.Keys)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase) && _options.Regions[key] is not null) return key;
        }
        return null;
    }
}
