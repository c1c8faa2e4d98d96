using System.Text.RegularExpressions;
using Routing.Calls.Routing;

namespace Routing.Calls.Centre;

/// <summary>
/// Checks a <see cref="CentreOptions"/> before the engine takes a single call. Every error names the
/// configuration key as it appears in appsettings/environment (<c>Centre:Positions:calltaker-1:Group</c>);
/// all errors are returned at once, nothing throws. With the routing options, regions are checked against
/// <c>Routing:Regions</c>.
/// </summary>
public static partial class CentreOptionsValidator
{
    private const string Root = CentreOptions.Section;
    private static readonly TimeSpan MaxDeviceFailedWithin = TimeSpan.FromMinutes(1);

    public static IReadOnlyList<string> Validate(CentreOptions? o, RoutingOptions? routing = null)
    {
        var errors = new List<string>();
        if (o is null)
        {
            errors.Add($"{Root} section is missing");
            return errors;
        }
        ValidateGroups(o, routing, errors);
        ValidatePositions(o, errors);
        ValidateEntries(o, errors);
        ValidateTimes(o, errors);
        ValidateAutoAnswer(o, errors);
        return errors;
    }

    /// <summary>The headers go into a SIP INVITE through PJSIP_HEADER: a token name and a value with no line break,
    /// or a broken value could split the INVITE.</summary>
    private static void ValidateAutoAnswer(CentreOptions o, List<string> errors)
    {
        foreach (var (name, value) in o.AutoAnswerHeaders ?? [])
        {
            if (!HeaderNamePattern().IsMatch(name)) errors.Add($"{Root}:AutoAnswerHeaders:{name} is not a SIP header name (letters, digits, '-')");
            else if (value is { Length: > 200 } || (value ?? "").Any(char.IsControl))
                errors.Add($"{Root}:AutoAnswerHeaders:{name} must be at most 200 printable characters");
        }
        var console = o.OfferMode == OfferMode.Console || (o.Positions ?? []).Values.Any(p => p?.OfferMode == OfferMode.Console);
        if (console && !(o.AutoAnswerHeaders ?? []).Values.Any(v => !string.IsNullOrWhiteSpace(v)))
            errors.Add($"{Root}:AutoAnswerHeaders is empty but a position accepts in the console: its phone would ring instead of answering by itself");
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9-]{0,40}$")]
    private static partial Regex HeaderNamePattern();

    private static void ValidateGroups(CentreOptions o, RoutingOptions? routing, List<string> errors)
    {
        if (o.Groups is null || o.Groups.Count == 0)
        {
            errors.Add($"{Root}:Groups has no group");
            return;
        }
        if (string.IsNullOrWhiteSpace(o.DefaultGroup)) errors.Add($"{Root}:DefaultGroup is empty");
        else if (!o.Groups.ContainsKey(o.DefaultGroup)) errors.Add($"{Root}:DefaultGroup '{o.DefaultGroup}' is not a configured group");

        var regionOwners = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, group) in o.Groups)
        {
            var path = $"{Root}:Groups:{key}";
            if (!KeyPattern().IsMatch(key)) errors.Add($"{path} is not a valid group key (letters, digits, '-' or '_')");
            if (group is null)
            {
                errors.Add($"{path} is empty");
                continue;
            }
            for (var i = 0; i < (group.Regions?.Count ?? 0); i++)
            {
                var region = group.Regions![i];
                if (string.IsNullOrWhiteSpace(region)) errors.Add($"{path}:Regions:{i} is empty");
                else if (regionOwners.TryGetValue(region, out var owner)) errors.Add($"{path}:Regions:{i} '{region}' is already served by group '{owner}'");
                else
                {
                    regionOwners[region] = key;
                    if (routing?.Regions is not null && !routing.Regions.ContainsKey(region))
                        errors.Add($"{path}:Regions:{i} '{region}' is not a configured region (Routing:Regions)");
                }
            }
            if (!Enum.IsDefined(group.Strategy)) errors.Add($"{path}:Strategy '{group.Strategy}' is not LongestIdle or RingAll");
            if (group.MaxWait <= TimeSpan.Zero) errors.Add($"{path}:MaxWait must be greater than zero (is {group.MaxWait})");
            if (!string.IsNullOrEmpty(group.OverflowTo))
            {
                if (!o.Groups.ContainsKey(group.OverflowTo)) errors.Add($"{path}:OverflowTo '{group.OverflowTo}' is not a configured group");
                else if (string.Equals(group.OverflowTo, key, StringComparison.OrdinalIgnoreCase)) errors.Add($"{path}:OverflowTo '{group.OverflowTo}' points to the group itself");
                else if (Cycle(o, key) is { } cycle) errors.Add($"{path}:OverflowTo forms a cycle {cycle}: the chain must end in a group without OverflowTo (the national group)");
            }
            if (o.Positions is not null && !o.Positions.Values.Any(p => p is not null && string.Equals(p.Group, key, StringComparison.OrdinalIgnoreCase)))
                errors.Add($"{path} has no position (Centre:Positions:<id>:Group)");
        }
    }

    /// <summary>The overflow chain from a group as text if it comes back to a group already on it.</summary>
    private static string? Cycle(CentreOptions o, string start)
    {
        var seen = new List<string> { start };
        var current = start;
        while (o.Groups.TryGetValue(current, out var g) && g is not null && !string.IsNullOrEmpty(g.OverflowTo) && o.Groups.ContainsKey(g.OverflowTo))
        {
            current = g.OverflowTo;
            var loop = seen.FindIndex(s => string.Equals(s, current, StringComparison.OrdinalIgnoreCase)) >= 0;
            seen.Add(current);
            if (loop) return string.Join(" → ", seen);
        }
        return null;
    }

    private static void ValidatePositions(CentreOptions o, List<string> errors)
    {
        if (o.Positions is null || o.Positions.Count == 0)
        {
            errors.Add($"{Root}:Positions has no position");
            return;
        }
        var endpoints = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, p) in o.Positions)
        {
            var path = $"{Root}:Positions:{id}";
            if (!KeyPattern().IsMatch(id)) errors.Add($"{path} is not a valid position id (letters, digits, '-' or '_')");
            if (p is null)
            {
                errors.Add($"{path} is empty");
                continue;
            }
            if (string.IsNullOrWhiteSpace(p.Endpoint)) errors.Add($"{path}:Endpoint is empty");
            else if (!EndpointPattern().IsMatch(p.Endpoint)) errors.Add($"{path}:Endpoint '{p.Endpoint}' is not of the form TECH/resource (e.g. PJSIP/calltaker-1)");
            else if (endpoints.TryGetValue(p.Endpoint, out var first)) errors.Add($"{path}:Endpoint '{p.Endpoint}' is already the device of {first}");
            else endpoints[p.Endpoint] = id;

            if (string.IsNullOrWhiteSpace(p.Group)) errors.Add($"{path}:Group is empty");
            else if (o.Groups is null || !o.Groups.ContainsKey(p.Group)) errors.Add($"{path}:Group '{p.Group}' is not a configured group (Centre:Groups)");

            if (p.Languages is null || p.Languages.Count == 0) errors.Add($"{path}:Languages is empty (e.g. [\"kk\", \"ru\"])");
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < (p.Languages?.Count ?? 0); i++)
            {
                var language = p.Languages![i];
                if (language is null || !LanguagePattern().IsMatch(language)) errors.Add($"{path}:Languages:{i} '{language}' is not a language code (2 to 8 letters, e.g. kk)");
                else if (!seen.Add(language)) errors.Add($"{path}:Languages:{i} '{language}' is listed twice");
            }
        }
    }

    private static void ValidateEntries(CentreOptions o, List<string> errors)
    {
        foreach (var (entry, options) in o.Entries ?? [])
        {
            var path = $"{Root}:Entries:{entry}";
            if (entry == CallEntry.Direct) errors.Add($"{path} may not be set: 101–104 go straight to their agency");
            if (!Enum.IsDefined(entry)) errors.Add($"{path} is not an entry (Emergency112, App, Sos)");
            if (options is null)
            {
                errors.Add($"{path} is empty");
                continue;
            }
            if (!Enum.IsDefined(options.Mode)) errors.Add($"{path}:Mode '{options.Mode}' is not HumanFirst or IvrFirst");
            if (!Enum.IsDefined(options.Priority)) errors.Add($"{path}:Priority '{options.Priority}' is not Critical, Emergency or Requeued");
            if (!string.IsNullOrEmpty(options.Group) && (o.Groups is null || !o.Groups.ContainsKey(options.Group)))
                errors.Add($"{path}:Group '{options.Group}' is not a configured group (Centre:Groups)");
        }
    }

    private static void ValidateTimes(CentreOptions o, List<string> errors)
    {
        if (o.OfferTimeout <= TimeSpan.Zero) errors.Add($"{Root}:OfferTimeout must be greater than zero (is {o.OfferTimeout})");
        if (o.WrapUp < TimeSpan.Zero) errors.Add($"{Root}:WrapUp may not be negative (is {o.WrapUp})");
        if (o.DevicePollInterval < TimeSpan.Zero || o.DevicePollInterval > TimeSpan.FromMinutes(5)) errors.Add($"{Root}:DevicePollInterval must be between 00:00:00 (never) and 00:05:00 (is {o.DevicePollInterval}): a phone that went away is offered calls until the next read");
        if (o.DeviceFailedWithin < TimeSpan.Zero || o.DeviceFailedWithin > MaxDeviceFailedWithin)
            errors.Add($"{Root}:DeviceFailedWithin must be between 0 and {MaxDeviceFailedWithin} (is {o.DeviceFailedWithin}): it only covers a phone that drops as it is bridged");
        if (o.LanguageWait < TimeSpan.Zero) errors.Add($"{Root}:LanguageWait may not be negative (is {o.LanguageWait})");
        if (o.AnnounceInterval <= TimeSpan.Zero) errors.Add($"{Root}:AnnounceInterval must be greater than zero (is {o.AnnounceInterval})");
        var q = o.Queue;
        if (q is null)
        {
            errors.Add($"{Root}:Queue is missing");
            return;
        }
        const string path = $"{Root}:Queue";
        if (q.RequeuedHeadStart < TimeSpan.Zero) errors.Add($"{path}:RequeuedHeadStart may not be negative (is {q.RequeuedHeadStart})");
        // Head starts must keep the classes in order, or "SOS first" would silently stop being true.
        if (q.EmergencyHeadStart < q.RequeuedHeadStart)
            errors.Add($"{path}:EmergencyHeadStart ({q.EmergencyHeadStart}) must be at least RequeuedHeadStart ({q.RequeuedHeadStart})");
        if (q.CriticalHeadStart <= q.EmergencyHeadStart)
            errors.Add($"{path}:CriticalHeadStart ({q.CriticalHeadStart}) must be longer than EmergencyHeadStart ({q.EmergencyHeadStart})");
        if (q.CriticalHeadStart > TimeSpan.FromHours(1)) errors.Add($"{path}:CriticalHeadStart ({q.CriticalHeadStart}) may not exceed 01:00:00");
    }

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_-]*/[^\s/][^\s]*$")]
    private static partial Regex EndpointPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_-]+$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"^[A-Za-z]{2,8}$")]
    private static partial Regex LanguagePattern();
}
