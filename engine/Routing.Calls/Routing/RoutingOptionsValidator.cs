using System.Text.RegularExpressions;

namespace Routing.Calls.Routing;

/// <summary>
/// Checks a <see cref="RoutingOptions"/> before the engine takes a single call. Every error names
/// the configuration key as it appears in appsettings/environment (<c>Routing:Regions:almaty:...</c>),
/// so an operator can fix the file without reading code. Returns all errors at once, never throws.
/// </summary>
/// <remarks>
/// Overflow chains: <c>a → b → a</c> is allowed. The planner walks the chain and stops at the first
/// region already visited, so a mutual pair is simply "try the other region once". Only a region
/// that overflows to itself is rejected, because it says nothing and is surely a typo.
/// </remarks>
public static partial class RoutingOptionsValidator
{
    private const string Root = RoutingOptions.Section;

    public static IReadOnlyList<string> Validate(RoutingOptions? o)
    {
        var errors = new List<string>();
        if (o is null)
        {
            errors.Add($"{Root} section is missing");
            return errors;
        }

        var trunkNames = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        ValidateAgencies(o, errors);
        ValidateRegions(o, errors, trunkNames);
        ValidateNational(o, errors, trunkNames);
        ValidateOperators(o, errors, trunkNames);
        ValidateIvr(o, errors);
        ValidateDevices(o, errors);
        ValidateTimers(o, errors);
        if (string.IsNullOrWhiteSpace(o.AgencyCallerId)) errors.Add($"{Root}:AgencyCallerId is empty");
        else if (!o.AgencyCallerId.Contains("<{caller}>", StringComparison.Ordinal) || o.AgencyCallerId.Any(char.IsControl))
        {
            // The number in angle brackets is what Asterisk reads as the number (main/callerid.c) and what the
            // agencies' P-Asserted-Identity is built from; without it they would be sent a name and no number.
            errors.Add($"{Root}:AgencyCallerId '{o.AgencyCallerId}' must present the number as <{{caller}}> and hold no control characters, e.g. \"112 {{caller}}\" <{{caller}}>");
        }
        ValidateReachability(o, errors);
        ValidateOuterBounds(o, errors);
        ValidateLocation(o, errors);
        ValidateVideo(o, errors);
        return errors;
    }

    private static void ValidateAgencies(RoutingOptions o, List<string> errors)
    {
        if (o.Agencies is null || o.Agencies.Count == 0) errors.Add($"{Root}:Agencies has no agency");
        foreach (var key in o.Agencies?.Keys ?? Enumerable.Empty<string>())
        {
            if (!KeyPattern().IsMatch(key)) errors.Add($"{Root}:Agencies:{key} is not a valid agency key (letters, digits, '-' or '_')");
            if (string.Equals(key, RoutePlanner.OperatorAgency, StringComparison.OrdinalIgnoreCase))
                errors.Add($"{Root}:Agencies:{key} is reserved for the human call-takers (Routing:Operators)");
        }
    }

    private static void ValidateRegions(RoutingOptions o, List<string> errors, Dictionary<string, string> trunkNames)
    {
        if (o.Regions is null || o.Regions.Count == 0)
        {
            errors.Add($"{Root}:Regions has no region");
            return;
        }
        if (string.IsNullOrWhiteSpace(o.DefaultRegion)) errors.Add($"{Root}:DefaultRegion is empty");
        else if (!o.Regions.ContainsKey(o.DefaultRegion)) errors.Add($"{Root}:DefaultRegion '{o.DefaultRegion}' is not a configured region");

        var prefixOwners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, region) in o.Regions)
        {
            var path = $"{Root}:Regions:{name}";
            if (region is null)
            {
                errors.Add($"{path} is empty");
                continue;
            }
            for (var i = 0; i < region.CallerPrefixes.Count; i++)
            {
                var prefix = region.CallerPrefixes[i];
                if (prefix is null || !PrefixPattern().IsMatch(prefix))
                {
                    errors.Add($"{path}:CallerPrefixes:{i} '{prefix}' is not a number prefix (digits with an optional leading +)");
                }
                else if (prefixOwners.TryGetValue(prefix, out var owner))
                {
                    errors.Add($"{path}:CallerPrefixes:{i} '{prefix}' is already a prefix of region '{owner}'");
                }
                else
                {
                    prefixOwners[prefix] = name;
                }
            }
            foreach (var (agency, trunks) in region.Trunks)
            {
                if (!AgencyKnown(o, agency)) errors.Add($"{path}:Trunks:{agency} is not a configured agency (Routing:Agencies)");
                ValidateTrunks($"{path}:Trunks:{agency}", trunks, errors, trunkNames);
            }
            if (!string.IsNullOrEmpty(region.OverflowTo))
            {
                if (!o.Regions.ContainsKey(region.OverflowTo))
                    errors.Add($"{path}:OverflowTo '{region.OverflowTo}' is not a configured region");
                else if (string.Equals(region.OverflowTo, name, StringComparison.OrdinalIgnoreCase))
                    errors.Add($"{path}:OverflowTo '{region.OverflowTo}' points to the region itself");
            }
        }
    }

    private static void ValidateNational(RoutingOptions o, List<string> errors, Dictionary<string, string> trunkNames)
    {
        foreach (var (agency, trunks) in o.NationalFallback ?? [])
        {
            var path = $"{Root}:NationalFallback:{agency}";
            if (!AgencyKnown(o, agency)) errors.Add($"{path} is not a configured agency (Routing:Agencies)");
            ValidateTrunks(path, trunks, errors, trunkNames);
        }
    }

    private static void ValidateOperators(RoutingOptions o, List<string> errors, Dictionary<string, string> trunkNames)
    {
        const string path = $"{Root}:Operators";
        if (o.Operators is null)
        {
            errors.Add($"{path} is missing");
            return;
        }
        // Silent, unclassified and unknown-device calls go to a person; without one they would
        // all fall straight to the dialplan default, which is a configuration mistake.
        if (o.Operators.Trunks is null || o.Operators.Trunks.Count == 0) errors.Add($"{path}:Trunks is empty (silent and unclassified calls need a call-taker)");
        else ValidateTrunks($"{path}:Trunks", o.Operators.Trunks, errors, trunkNames);
        if (o.Operators.QueueTimeout <= TimeSpan.Zero) errors.Add($"{path}:QueueTimeout must be greater than zero (is {o.Operators.QueueTimeout})");
    }

    private static void ValidateTrunks(string path, List<TrunkOptions>? trunks, List<string> errors, Dictionary<string, string> trunkNames)
    {
        if (trunks is null || trunks.Count == 0)
        {
            errors.Add($"{path} has no trunk");
            return;
        }
        for (var i = 0; i < trunks.Count; i++)
        {
            var at = $"{path}:{i}";
            var trunk = trunks[i];
            if (trunk is null)
            {
                errors.Add($"{at} is empty");
                continue;
            }
            if (string.IsNullOrWhiteSpace(trunk.Name)) errors.Add($"{at}:Name is empty");
            else if (trunkNames.TryGetValue(trunk.Name, out var first)) errors.Add($"{at}:Name '{trunk.Name}' is already used by {first}");
            else trunkNames[trunk.Name] = at;

            if (string.IsNullOrWhiteSpace(trunk.Endpoint)) errors.Add($"{at}:Endpoint is empty");
            else if (!EndpointPattern().IsMatch(trunk.Endpoint)) errors.Add($"{at}:Endpoint '{trunk.Endpoint}' is not of the form TECH/resource (e.g. PJSIP/fire-almaty-1)");

            if (trunk.RingTimeout <= TimeSpan.Zero) errors.Add($"{at}:RingTimeout must be greater than zero (is {trunk.RingTimeout})");
        }
    }

    private static void ValidateIvr(RoutingOptions o, List<string> errors)
    {
        const string path = $"{Root}:Ivr";
        var ivr = o.Ivr;
        if (ivr is null)
        {
            errors.Add($"{path} is missing");
            return;
        }
        if (ivr.LanguageDigits is null || ivr.LanguageDigits.Count == 0) errors.Add($"{path}:LanguageDigits is empty");
        foreach (var (digit, language) in ivr.LanguageDigits ?? [])
        {
            if (!IsKey(digit)) errors.Add($"{path}:LanguageDigits:{digit} is not a single key 0-9, * or #");
            if (string.IsNullOrWhiteSpace(language)) errors.Add($"{path}:LanguageDigits:{digit} is empty");
            else if (!KeyPattern().IsMatch(language)) errors.Add($"{path}:LanguageDigits:{digit} '{language}' is not a language code (letters, digits, '-' or '_')");
        }
        if (ivr.ServiceDigits is null || ivr.ServiceDigits.Count == 0) errors.Add($"{path}:ServiceDigits is empty");
        foreach (var (digit, agency) in ivr.ServiceDigits ?? [])
        {
            if (!IsKey(digit)) errors.Add($"{path}:ServiceDigits:{digit} is not a single key 0-9, * or #");
            if (!AgencyKnown(o, agency)) errors.Add($"{path}:ServiceDigits:{digit} '{agency}' is not a configured agency (Routing:Agencies)");
        }
        if (string.IsNullOrWhiteSpace(ivr.DefaultLanguage)) errors.Add($"{path}:DefaultLanguage is empty");
        else if (ivr.LanguageDigits is { Count: > 0 } && !ivr.LanguageDigits.Values.Contains(ivr.DefaultLanguage, StringComparer.OrdinalIgnoreCase))
            errors.Add($"{path}:DefaultLanguage '{ivr.DefaultLanguage}' is not one of the LanguageDigits languages");
        foreach (var (entry, language) in ivr.EntryLanguages ?? [])
        {
            if (!CallLanguage.EntryKeys.Contains(entry, StringComparer.Ordinal))
                errors.Add($"{path}:EntryLanguages:{entry} is not an entry (one of {string.Join(", ", CallLanguage.EntryKeys)})");
            else if (ivr.LanguageDigits is { Count: > 0 } && !ivr.LanguageDigits.Values.Contains(language ?? "", StringComparer.OrdinalIgnoreCase))
                errors.Add($"{path}:EntryLanguages:{entry} '{language}' is not one of the LanguageDigits languages");
        }
        if (ivr.MenuRepeats is < 0 or > 3) errors.Add($"{path}:MenuRepeats must be between 0 and 3 (is {ivr.MenuRepeats})");
        if (string.IsNullOrWhiteSpace(ivr.PromptBase)) errors.Add($"{path}:PromptBase is empty");
        else if (!PromptBasePattern().IsMatch(ivr.PromptBase)) errors.Add($"{path}:PromptBase '{ivr.PromptBase}' may only hold letters, digits, '-', '_' and '/'");
    }

    private static void ValidateDevices(RoutingOptions o, List<string> errors)
    {
        foreach (var (id, device) in o.Devices ?? [])
        {
            var path = $"{Root}:Devices:{id}";
            if (device is null)
            {
                errors.Add($"{path} is empty");
                continue;
            }
            if (!AgencyKnown(o, device.Agency)) errors.Add($"{path}:Agency '{device.Agency}' is not a configured agency (Routing:Agencies)");
            if (string.IsNullOrEmpty(device.Region) || o.Regions is null || !o.Regions.ContainsKey(device.Region))
                errors.Add($"{path}:Region '{device.Region}' is not a configured region");
        }
    }

    private static readonly TimeSpan MaxConnectingPrompt = TimeSpan.FromSeconds(5);

    private static void ValidateTimers(RoutingOptions o, List<string> errors)
    {
        const string path = $"{Root}:Timers";
        var t = o.Timers;
        if (t is null)
        {
            errors.Add($"{path} is missing");
            return;
        }
        Positive(nameof(t.Answer), t.Answer);
        Positive(nameof(t.Prompt), t.Prompt);
        Positive(nameof(t.MenuDigit), t.MenuDigit);
        Positive(nameof(t.Queue), t.Queue);
        Positive(nameof(t.DialingTotal), t.DialingTotal);
        Positive(nameof(t.ConnectedMax), t.ConnectedMax);
        // A caller must not sit in silence for long: the prompt is what tells them the line works.
        if (t.ConnectingPrompt < TimeSpan.Zero || t.ConnectingPrompt > MaxConnectingPrompt)
            errors.Add($"{path}:ConnectingPrompt must be between 00:00:00 and {MaxConnectingPrompt} (is {t.ConnectingPrompt})");

        void Positive(string name, TimeSpan value)
        {
            if (value <= TimeSpan.Zero) errors.Add($"{path}:{name} must be greater than zero (is {value})");
        }
    }

    /// <summary>Every agency must be reachable from every region: through the region's own trunks,
    /// a region along its overflow chain, or the national fallback.</summary>
    private static void ValidateReachability(RoutingOptions o, List<string> errors)
    {
        if (o.Agencies is null || o.Regions is null || o.Regions.Values.Any(r => r is null) || o.Operators is null) return;
        var planner = new RoutePlanner(o);
        foreach (var agency in o.Agencies.Keys)
        {
            var unreachable = o.Regions.Keys.Where(r => !planner.PlanFor(agency, r).Any(s => s.Trunk is not null)).ToList();
            if (unreachable.Count == o.Regions.Count)
                errors.Add($"{Root}:Agencies:{agency} has no trunk in any region and no {Root}:NationalFallback:{agency}");
            else
                errors.AddRange(unreachable.Select(r => $"{Root}:Regions:{r}:Trunks:{agency} is missing and no overflow region or {Root}:NationalFallback:{agency} reaches the agency"));
        }
    }

    /// <summary>
    /// The outer bounds must leave every trunk of a plan its whole ring time. DialingTotal starts when
    /// dialing starts and covers the region's trunks, the overflow chain and the national fallback; if
    /// it is not longer than the worst case, its timer races the ring timeout of the last trunks (the
    /// national fallback, the one most likely to be needed) and cuts them. Operators.QueueTimeout
    /// against the call-takers is treated the same, as an error: a plan longer than the queue bound
    /// means the last call-taker is dropped mid-ring, possibly as they pick up, which no one intends.
    /// Exactly equal is an error too, since the two timers then race.
    /// </summary>
    private static void ValidateOuterBounds(RoutingOptions o, List<string> errors)
    {
        if (o.Agencies is null || o.Regions is null || o.Regions.Values.Any(r => r?.Trunks is null) || o.NationalFallback is null
            || o.Operators?.Trunks is null || o.Timers is null) return;
        var planner = new RoutePlanner(o);
        if (o.Timers.DialingTotal > TimeSpan.Zero)
        {
            foreach (var region in o.Regions.Keys)
            {
                foreach (var agency in o.Agencies.Keys)
                {
                    var (ringing, trunks) = WorstCase(planner.PlanFor(agency, region));
                    if (trunks > 0 && ringing >= o.Timers.DialingTotal)
                        errors.Add($"{Root}:Timers:DialingTotal ({o.Timers.DialingTotal}) must be longer than the worst-case dialing plan: "
                            + $"{agency} from region {region} rings {trunks} trunks for up to {ringing} in all");
                }
            }
        }
        if (o.Operators.QueueTimeout > TimeSpan.Zero)
        {
            var (ringing, trunks) = WorstCase(planner.OperatorPlan(o.DefaultRegion ?? ""));
            if (trunks > 0 && ringing >= o.Operators.QueueTimeout)
                errors.Add($"{Root}:Operators:QueueTimeout ({o.Operators.QueueTimeout}) must be longer than the call-taker plan: "
                    + $"{Root}:Operators:Trunks ring {trunks} trunks for up to {ringing} in all");
        }
    }

    /// <summary>Ring time of a plan in which no trunk answers (empty or broken trunks are reported elsewhere).</summary>
    private static (TimeSpan Ringing, int Trunks) WorstCase(IReadOnlyList<RouteStep> plan)
    {
        var ringing = TimeSpan.Zero;
        var trunks = 0;
        foreach (var step in plan)
        {
            if (step.Trunk is not { RingTimeout: var timeout } || timeout <= TimeSpan.Zero) continue;
            ringing += timeout;
            trunks++;
        }
        return (ringing, trunks);
    }

    private static bool AgencyKnown(RoutingOptions o, string? agency) =>
        !string.IsNullOrEmpty(agency) && o.Agencies is not null && o.Agencies.ContainsKey(agency);

    private static bool IsKey(string digit) => digit is { Length: 1 } && (char.IsAsciiDigit(digit[0]) || digit[0] is '*' or '#');

    [GeneratedRegex(@"^\+?[0-9]{1,15}$")]
    private static partial Regex PrefixPattern();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_-]*/[^\s/][^\s]*$")]
    private static partial Regex EndpointPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_-]+$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_/-]+$")]
    private static partial Regex PromptBasePattern();
}
