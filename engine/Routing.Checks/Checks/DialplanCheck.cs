using System.Text.RegularExpressions;
using Routing.Calls.Routing;
using Routing.Checks.Asterisk;
using Routing.Checks.Settings;

namespace Routing.Checks.Checks;

/// <summary>
/// extensions.conf against the engine: every number reaches the Stasis app with the arguments the
/// engine's classifier understands, every entry has a fallback for both ways the engine can let go
/// of a call (STASISSTATUS = FAILED and ROUTING112_FAILOVER = 1), every endpoint a fallback dials
/// exists, and the dialplan's own region map agrees with the routing configuration.
/// </summary>
internal static partial class DialplanCheck
{
    public const string FallbackContext = "sub-fallback";
    public const string RegionContext = "sub-caller-region";
    public const string DefaultRegionGlobal = "FALLBACK_DEFAULT_REGION";
    public const string OperatorDestination = "operator";

    /// <summary>The numbers every caller context must take.</summary>
    public static IReadOnlyList<string> Numbers { get; } = ["112", "101", "102", "103", "104"];

    /// <summary>The legacy numbers 112 replaced, and the agency each one means.</summary>
    public static IReadOnlyDictionary<string, string> LegacyNumbers { get; } = new Dictionary<string, string>
    {
        ["101"] = "fire",
        ["102"] = "police",
        ["103"] = "ambulance",
        ["104"] = "gas",
    };

    public static Dialplan? Load(string dialplansDir, Findings findings)
    {
        var path = ConfigFiles.Locate(dialplansDir, "extensions.conf");
        if (path is null)
        {
            findings.Error(Path.Combine(dialplansDir, "extensions.conf"), 0, "no extensions.conf: no call would reach the engine");
            return null;
        }
        return Dialplan.Parse(ConfFile.Load(path, findings), findings);
    }

    public static void CheckCallerContexts(Dialplan dialplan, IEnumerable<(string Context, ConfSection Endpoint)> callerContexts,
        AsteriskSettings asterisk, RoutingOptions? routing, string settingsPath, Findings findings)
    {
        foreach (var group in callerContexts.GroupBy(c => c.Context, StringComparer.OrdinalIgnoreCase))
        {
            var context = group.Key;
            if (!dialplan.Contexts.TryGetValue(context, out var section)) continue; // reported by PjsipCheck
            var endpoints = string.Join(", ", group.Select(g => $"[{g.Endpoint.Name}]"));
            foreach (var number in Numbers)
            {
                var steps = dialplan.ExtensionFor(context, number);
                if (steps.Count == 0)
                {
                    findings.Error(section.File, section.Line, $"[{context}] (context of endpoint {endpoints}) has no extension for {number}: such a call would be refused");
                    continue;
                }
                CheckEntry(dialplan, context, number, steps, asterisk, routing, settingsPath, findings);
            }
        }
    }

    private static void CheckEntry(Dialplan dialplan, string context, string number, IReadOnlyList<DialplanStep> steps,
        AsteriskSettings asterisk, RoutingOptions? routing, string settingsPath, Findings findings)
    {
        var where = $"extension {steps[0].Extension} of [{context}] (dialled {number})";
        var stasis = steps.FirstOrDefault(s => s.Is("Stasis"));
        if (stasis is null)
        {
            findings.Error(steps[0].File, steps[0].Line, $"{where} never enters Stasis(): the engine would not see the call");
            return;
        }

        var args = stasis.Args;
        if (!string.Equals(args[0], asterisk.AriApplication, StringComparison.Ordinal))
        {
            var origin = asterisk.AriApplicationLine > 0 ? $" ({settingsPath}:{asterisk.AriApplicationLine})" : "";
            findings.Error(stasis.File, stasis.Line,
                $"{where}: Stasis({args[0]}) but Asterisk:Ari:Application is '{asterisk.AriApplication}'{origin}: every call would take the fallback");
        }
        CheckStasisArgs(where, number, stasis, args.Skip(1).ToList(), routing, findings);

        var after = steps.Where(s => s.Line > stasis.Line).ToList();
        bool Tests(DialplanStep s, params string[] words) =>
            (s.Is("GotoIf") || s.Is("ExecIf")) && words.All(w => s.Data.Contains(w, StringComparison.Ordinal));
        if (!after.Any(s => Tests(s, "STASISSTATUS", "FAILED")))
        {
            findings.Error(stasis.File, stasis.Line,
                $"{where}: no fallback: nothing checks STASISSTATUS = \"FAILED\" after Stasis(), so with the engine away the caller is hung up");
        }
        if (!after.Any(s => Tests(s, "ROUTING112_FAILOVER")))
        {
            findings.Error(stasis.File, stasis.Line,
                $"{where}: nothing checks ROUTING112_FAILOVER after Stasis(), so a call the engine hands back is hung up");
        }
        var destinations = after.Where(s => s.Is("Dial") || s.Is("Gosub") || s.Is("Queue")).ToList();
        if (destinations.Count == 0)
        {
            findings.Error(stasis.File, stasis.Line, $"{where}: no fallback Dial() or Gosub() after Stasis(): the fallback has nowhere to send the call");
        }
        foreach (var gosub in destinations.Where(s => s.Is("Gosub")))
        {
            CheckFallbackGosub(dialplan, where, number, gosub, routing, findings);
        }
    }

    private static void CheckStasisArgs(string where, string number, DialplanStep stasis, List<string> args, RoutingOptions? routing, Findings findings)
    {
        var kind = args.Count > 0 ? args[0] : "";
        switch (kind)
        {
            case "" when args.Count == 0:
            case "112" when args.Count == 1:
                if (LegacyNumbers.TryGetValue(number, out var agencyFor))
                    findings.Error(stasis.File, stasis.Line, $"{where} enters the engine as 112: the caller would hear the menu instead of going straight to {agencyFor} (use Stasis(...,direct,{agencyFor}))");
                break;
            case "app" when args.Count == 1:
            case "sos" when args.Count is 1 or 2:
                break;
            case "direct" when args.Count == 2:
                var agency = args[1];
                if (routing is not null && !routing.Agencies.ContainsKey(agency))
                    findings.Error(stasis.File, stasis.Line, $"{where}: Stasis args direct,{agency} name no agency of Routing:Agencies; the engine would treat the call as 112");
                if (LegacyNumbers.TryGetValue(number, out var expected) && !string.Equals(expected, agency, StringComparison.OrdinalIgnoreCase))
                    findings.Error(stasis.File, stasis.Line, $"{where}: {number} is {expected}, but the call enters the engine as direct,{agency}");
                if (number == "112")
                    findings.Error(stasis.File, stasis.Line, $"{where}: 112 enters the engine as direct,{agency}: it skips the menu");
                break;
            default:
                findings.Error(stasis.File, stasis.Line,
                    $"{where}: Stasis args '{string.Join(",", args)}' are none of 112, app, sos[,device], direct,<agency>; the engine would treat the call as 112");
                break;
        }
    }

    private static void CheckFallbackGosub(Dialplan dialplan, string where, string number, DialplanStep gosub, RoutingOptions? routing, Findings findings)
    {
        // Gosub([[context,]exten,]priority[(arg1[,...])])
        var target = gosub.Data;
        var open = target.IndexOf('(');
        var location = open >= 0 ? target[..open] : target;
        var gosubArgs = open >= 0 && target.EndsWith(')') ? DialplanStep.SplitArgs(target[(open + 1)..^1]) : [];
        var parts = location.Split(',', StringSplitOptions.TrimEntries);
        var context = parts.Length == 3 ? parts[0] : gosub.Context;
        if (!dialplan.Contexts.ContainsKey(context))
        {
            findings.Error(gosub.File, gosub.Line, $"{where}: Gosub to [{context}], which does not exist: the fallback would fail");
            return;
        }
        if (!string.Equals(context, FallbackContext, StringComparison.OrdinalIgnoreCase)) return;

        var destination = gosubArgs.Count > 0 ? gosubArgs[0] : "";
        if (destination != OperatorDestination && routing is not null && !routing.Agencies.ContainsKey(destination))
        {
            findings.Error(gosub.File, gosub.Line, $"{where}: fallback destination '{destination}' is neither '{OperatorDestination}' nor an agency of Routing:Agencies");
        }
        else if (LegacyNumbers.TryGetValue(number, out var expected) && !string.Equals(destination, expected, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(gosub.Context, "from-sos", StringComparison.OrdinalIgnoreCase) && !IsSosEntry(dialplan, gosub))
        {
            findings.Error(gosub.File, gosub.Line, $"{where}: the fallback goes to '{destination}', but {number} is {expected}");
        }
    }

    /// <summary>SOS buttons fall back to their own default whatever they dial.</summary>
    private static bool IsSosEntry(Dialplan dialplan, DialplanStep step) =>
        dialplan.InContext(step.Context).Any(s => s.Extension == step.Extension && s.Is("Stasis") && s.Args.Skip(1).FirstOrDefault() == "sos");

    /// <summary>Every PJSIP endpoint a Dial() names exists; <c>${agency}</c> and <c>${region}</c> are
    /// expanded to every configured agency and region.</summary>
    public static void CheckDialTargets(Dialplan dialplan, PjsipCheck pjsip, RoutingOptions? routing, Findings findings)
    {
        foreach (var dial in dialplan.Steps.Where(s => s.Is("Dial")))
        {
            foreach (var target in dial.Args[0].Split('&', StringSplitOptions.TrimEntries))
            {
                var endpoint = RoutingTrunks.PjsipEndpoint(target);
                if (endpoint is null) continue;
                foreach (var name in Expand(endpoint, routing))
                {
                    if (!pjsip.Endpoints.ContainsKey(name))
                        findings.Error(dial.File, dial.Line, $"[{dial.Context}] dials PJSIP/{name}, but there is no endpoint [{name}] in {pjsip.File.Path}");
                }
            }
        }
    }

    private static IEnumerable<string> Expand(string endpoint, RoutingOptions? routing)
    {
        var variables = VariablePattern().Matches(endpoint).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList();
        if (variables.Count == 0) return [endpoint];
        if (routing is null || variables.Any(v => v is not ("agency" or "region"))) return [];
        IEnumerable<string> names = [endpoint];
        if (variables.Contains("agency")) names = names.SelectMany(n => routing.Agencies.Keys.Select(a => n.Replace("${agency}", a, StringComparison.Ordinal)));
        if (variables.Contains("region")) names = names.SelectMany(n => routing.Regions.Keys.Select(r => n.Replace("${region}", r, StringComparison.Ordinal)));
        return names;
    }

    /// <summary>[globals] FALLBACK_DEFAULT_REGION and [sub-caller-region] mirror Routing:DefaultRegion
    /// and the regions' CallerPrefixes, so a call the engine never saw still reaches its own region.</summary>
    public static void CheckRegionMap(Dialplan dialplan, AppSettingsFile settings, RoutingOptions routing, Findings findings)
    {
        if (dialplan.Globals?.Last(DefaultRegionGlobal) is { } global && !string.Equals(global.Value, routing.DefaultRegion, StringComparison.OrdinalIgnoreCase))
        {
            findings.Error(global.File, global.Line,
                $"{DefaultRegionGlobal} is '{global.Value}', but Routing:DefaultRegion is '{routing.DefaultRegion}' ({settings.Path}:{settings.LineOf("Routing:DefaultRegion")})");
        }

        if (!dialplan.Contexts.TryGetValue(RegionContext, out var section)) return;
        var configured = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (region, options) in routing.Regions)
        {
            foreach (var prefix in options?.CallerPrefixes ?? [])
            {
                var clean = CallerText.NormaliseNumber(prefix);
                if (clean.Length > 0) configured.TryAdd(clean, region);
            }
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var shortestSoFar = int.MaxValue;
        string? shortestPrefix = null;
        foreach (var step in dialplan.InContext(RegionContext).Where(s => s.Is("ExecIf")))
        {
            var match = PrefixLinePattern().Match(step.Data);
            if (!match.Success) continue;
            var length = int.Parse(match.Groups["length"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var prefix = match.Groups["prefix"].Value;
            var region = match.Groups["region"].Value;
            seen.Add(prefix);
            if (length != prefix.Length)
                findings.Error(step.File, step.Line, $"[{RegionContext}] compares {length} characters with '{prefix}' ({prefix.Length} characters): the prefix never matches");
            if (!configured.TryGetValue(prefix, out var owner))
                findings.Error(step.File, step.Line, $"[{RegionContext}] maps prefix '{prefix}' to {region}, but no Routing:Regions:*:CallerPrefixes has it");
            else if (!string.Equals(owner, region, StringComparison.OrdinalIgnoreCase))
                findings.Error(step.File, step.Line, $"[{RegionContext}] maps prefix '{prefix}' to {region}, but Routing:Regions:{owner}:CallerPrefixes has it");
            if (prefix.Length > shortestSoFar)
                findings.Error(step.File, step.Line, $"[{RegionContext}] tests '{prefix}' after the shorter '{shortestPrefix}', which matches first; the engine takes the longest prefix");
            if (prefix.Length < shortestSoFar)
            {
                shortestSoFar = prefix.Length;
                shortestPrefix = prefix;
            }
        }
        foreach (var (prefix, region) in configured.Where(c => !seen.Contains(c.Key)))
        {
            findings.Error(section.File, section.Line,
                $"[{RegionContext}] has no line for prefix '{prefix}' of region {region}: with the engine away those callers go to {routing.DefaultRegion}");
        }
    }

    [GeneratedRegex(@"\$\{(\w+)\}")]
    private static partial Regex VariablePattern();

    // ExecIf($["${n:0:5}" = "+7727"]?Return(almaty))
    [GeneratedRegex(@"^\$\[""\$\{\w+:0:(?<length>\d+)\}""\s*=\s*""(?<prefix>[^""]*)""\]\?Return\((?<region>[^)]*)\)$")]
    private static partial Regex PrefixLinePattern();
}
