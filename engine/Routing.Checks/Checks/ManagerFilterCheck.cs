using System.Text.RegularExpressions;
using Routing.Checks.Asterisk;

namespace Routing.Checks.Checks;

/// <summary>
/// The engine's AMI user gets only what the engine reads (least <c>read=</c> classes and
/// <c>eventfilter</c>s, so Asterisk does not format and send every Newexten and VarSet of every call),
/// yet every event the fallback observer needs still passes. The filter semantics are Asterisk's
/// (main/manager.c, manager.conf.sample): with include filters an event must match one; an event
/// matching an exclude filter is dropped. Both the advanced form
/// <c>eventfilter(action(include),name(VarSet),header(Variable),method(exact)) = STASISSTATUS</c> and the
/// legacy regex form (<c>eventfilter = regex</c>, <c>!regex</c> excludes) are understood.
/// </summary>
internal static partial class ManagerFilterCheck
{
    /// <summary>What engine/Routing.Engine/Calls/FallbackCallTracker.cs consumes, each with the AMI
    /// class Asterisk sends it under and the headers it is recognised by.</summary>
    public static IReadOnlyList<NeededEvent> Needed { get; } =
    [
        new("VarSet", "dialplan", new Dictionary<string, string> { ["Variable"] = "STASISSTATUS", ["Value"] = "FAILED", ["Context"] = "from-pstn" }),
        new("UserEvent", "user", new Dictionary<string, string> { ["UserEvent"] = "Routing112Fallback", ["Agency"] = "police", ["Region"] = "almaty" }),
        new("DialBegin", "call", new Dictionary<string, string> { ["DialString"] = "police-almaty-1" }),
        new("DialEnd", "call", new Dictionary<string, string> { ["DialStatus"] = "ANSWER" }),
        new("Hangup", "call", new Dictionary<string, string> { ["Cause"] = "16" }),
    ];

    public sealed record NeededEvent(string Name, string Class, IReadOnlyDictionary<string, string> Headers);

    public static void Run(ConfSection user, Findings findings)
    {
        var read = user.Last("read");
        var classes = (read?.Value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var filters = user.Own.Where(e => e.Key.StartsWith("eventfilter", StringComparison.OrdinalIgnoreCase)).Select(Parse).ToList();
        foreach (var bad in filters.Where(f => f.Problem is not null))
            findings.Error(bad.Entry.File, bad.Entry.Line, $"AMI user [{user.Name}]: {bad.Problem}");
        var usable = filters.Where(f => f.Problem is null).ToList();

        foreach (var needed in Needed)
        {
            if (!classes.Contains(needed.Class) && !classes.Contains("all"))
                findings.Error(read?.File ?? user.File, read?.Line ?? user.Line,
                    $"AMI user [{user.Name}]: read = {read?.Value} lacks '{needed.Class}': the engine would never see {needed.Name} events (fallback calls go unrecorded)");
            else if (!Passes(needed, usable))
                findings.Error(user.File, user.Line,
                    $"AMI user [{user.Name}]: the eventfilters drop {needed.Name} ({string.Join(", ", needed.Headers.Select(h => $"{h.Key}: {h.Value}"))}), which the engine's fallback observer needs");
        }
        if (filters.Count == 0)
            findings.Error(user.File, user.Line, $"AMI user [{user.Name}] has no eventfilter: Asterisk sends it every event of every call (VarSet, Newexten...) though the engine reads {string.Join(", ", Needed.Select(n => n.Name).Distinct())}");
    }

    private static bool Passes(NeededEvent e, List<Filter> filters)
    {
        var includes = filters.Where(f => f.Include).ToList();
        if (includes.Count > 0 && !includes.Any(f => f.Matches(e))) return false;
        return !filters.Where(f => !f.Include).Any(f => f.Matches(e));
    }

    private sealed record Filter(ConfEntry Entry, bool Include, Func<NeededEvent, bool> Matches, string? Problem);

    private static Filter Parse(ConfEntry entry)
    {
        var key = entry.Key.Trim();
        if (key.Equals("eventfilter", StringComparison.OrdinalIgnoreCase))
        {
            var value = entry.Value;
            var include = !value.StartsWith('!');
            Regex regex;
            try
            {
                regex = new Regex(include ? value : value[1..], RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException ex)
            {
                return new Filter(entry, include, _ => false, $"eventfilter '{value}' is not a regular expression: {ex.Message}");
            }
            return new Filter(entry, include, e => regex.IsMatch(Text(e)), null);
        }

        var options = OptionPattern().Matches(key[("eventfilter".Length)..]).ToDictionary(m => m.Groups[1].Value.ToLowerInvariant(), m => m.Groups[2].Value);
        var action = options.GetValueOrDefault("action", "include");
        if (action is not ("include" or "exclude"))
            return new Filter(entry, true, _ => false, $"{key}: action must be include or exclude");
        var name = options.GetValueOrDefault("name");
        var header = options.GetValueOrDefault("header");
        var method = options.GetValueOrDefault("method", string.IsNullOrEmpty(entry.Value) ? "none" : "regex");
        var expected = entry.Value;
        Func<string, bool> match = method switch
        {
            "none" => _ => true,
            "exact" => d => d == expected,
            "starts_with" => d => d.StartsWith(expected, StringComparison.Ordinal),
            "ends_with" => d => d.EndsWith(expected, StringComparison.Ordinal),
            "contains" => d => d.Contains(expected, StringComparison.Ordinal),
            "regex" => d => Regex.IsMatch(d, expected, RegexOptions.None, TimeSpan.FromSeconds(1)),
            _ => _ => false,
        };
        if (method is not ("none" or "exact" or "starts_with" or "ends_with" or "contains" or "regex"))
            return new Filter(entry, true, _ => false, $"{key}: unknown method '{method}'");
        return new Filter(entry, action == "include", e =>
        {
            if (name is not null && !string.Equals(name, e.Name, StringComparison.Ordinal)) return false;
            if (header is not null)
                return e.Headers.TryGetValue(header, out var data) && match(data);
            return match(Text(e));
        }, null);
    }

    private static string Text(NeededEvent e) =>
        $"Event: {e.Name}\r\n" + string.Concat(e.Headers.Select(h => $"{h.Key}: {h.Value}\r\n"));

    [GeneratedRegex(@"(\w+)\(([^)]*)\)")]
    private static partial Regex OptionPattern();
}
