using Routing.Calls.Routing;
using Routing.Checks.Asterisk;
using Routing.Checks.Settings;

namespace Routing.Checks.Checks;

/// <summary>
/// pjsip.conf against routing and the dialplan: every trunk the engine dials is a PJSIP endpoint,
/// every endpoint's AORs and context exist, and a trunk's context never routes a call (agencies
/// only receive calls; one that could dial in through 112 would loop).
/// </summary>
internal sealed class PjsipCheck
{
    private PjsipCheck(ConfFile file, Dictionary<string, ConfSection> endpoints)
    {
        File = file;
        Endpoints = endpoints;
    }

    public ConfFile File { get; }

    /// <summary>Endpoint name → section (type = endpoint, templates excluded).</summary>
    public IReadOnlyDictionary<string, ConfSection> Endpoints { get; }

    public static PjsipCheck? Load(string dialplansDir, Findings findings)
    {
        var path = ConfigFiles.Locate(dialplansDir, "pjsip.conf");
        if (path is null)
        {
            findings.Error(Path.Combine(dialplansDir, "pjsip.conf"), 0, "no pjsip.conf (or pjsip.conf.in): no trunk can be checked");
            return null;
        }
        var file = ConfFile.Load(path, findings);
        var endpoints = new Dictionary<string, ConfSection>(StringComparer.Ordinal);
        foreach (var section in OfType(file, "endpoint"))
        {
            if (!endpoints.TryAdd(section.Name, section))
                findings.Error(section.File, section.Line, $"endpoint [{section.Name}] is defined twice (first at line {endpoints[section.Name].Line})");
        }
        return new PjsipCheck(file, endpoints);
    }

    public static IEnumerable<ConfSection> OfType(ConfFile file, string type) =>
        file.Sections.Where(s => !s.IsTemplate && string.Equals(s.Value("type"), type, StringComparison.OrdinalIgnoreCase));

    /// <summary>Every routing trunk names an endpoint defined here.</summary>
    public void CheckTrunks(AppSettingsFile settings, RoutingOptions routing, Findings findings)
    {
        foreach (var (key, trunk) in RoutingTrunks.All(routing))
        {
            var endpoint = RoutingTrunks.PjsipEndpoint(trunk.Endpoint);
            if (endpoint is null)
            {
                findings.Warning(settings.Path, settings.LineOf(key + ":Endpoint"),
                    $"{key}:Endpoint '{trunk.Endpoint}' is not a PJSIP endpoint; check it by hand");
                continue;
            }
            if (!Endpoints.ContainsKey(endpoint))
            {
                findings.Error(settings.Path, settings.LineOf(key + ":Endpoint"),
                    $"{key}:Endpoint '{trunk.Endpoint}': no endpoint [{endpoint}] (type = endpoint) in {File.Path}; every call routed to it would fail");
            }
        }
    }

    /// <summary>AORs and contexts of every endpoint; routing trunks' contexts route nothing.</summary>
    public void CheckEndpoints(Dialplan? dialplan, ISet<string> trunkEndpoints, Findings findings)
    {
        var aors = OfType(File, "aor").Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var endpoint in Endpoints.Values)
        {
            if (endpoint.Last("aors") is { } aorsEntry)
            {
                foreach (var aor in aorsEntry.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    if (!aors.Contains(aor)) findings.Error(aorsEntry.File, aorsEntry.Line, $"endpoint [{endpoint.Name}] names aor '{aor}', which is not defined (type = aor)");
                }
            }

            var context = endpoint.Last("context");
            if (context is null)
            {
                findings.Error(endpoint.File, endpoint.Line, $"endpoint [{endpoint.Name}] has no context: its calls would enter [default]");
                continue;
            }
            if (dialplan is null) continue;
            if (!dialplan.Contexts.ContainsKey(context.Value))
            {
                findings.Error(context.File, context.Line, $"endpoint [{endpoint.Name}]: context [{context.Value}] is not in {dialplan.File.Path}");
                continue;
            }
            if (trunkEndpoints.Contains(endpoint.Name))
            {
                var routes = dialplan.InContext(context.Value).FirstOrDefault(s => s.Is("Stasis") || s.Is("Dial") || s.Is("Goto") || s.Is("Gosub"));
                if (routes is not null)
                {
                    findings.Error(context.File, context.Line,
                        $"endpoint [{endpoint.Name}] is a routing trunk, but its context [{context.Value}] routes calls ({routes.App} at {routes.File}:{routes.Line}): trunks must only receive calls");
                }
            }
        }
    }

    /// <summary>
    /// Endpoints on the agencies' side: the routing trunks and every endpoint that shares a context
    /// with one (a trunk the routing file misnames is still an agency, not a caller whose context
    /// lacks 112). Without a routing file, endpoints whose context never enters Stasis().
    /// </summary>
    public ISet<string> AgencySide(Dialplan? dialplan, ISet<string> trunkEndpoints)
    {
        var agencyContexts = Endpoints.Values.Where(e => trunkEndpoints.Contains(e.Name))
            .Select(e => e.Value("context")).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
        return Endpoints.Values
            .Where(e => trunkEndpoints.Contains(e.Name)
                || e.Value("context") is { } context
                    && (agencyContexts.Contains(context)
                        || trunkEndpoints.Count == 0 && dialplan is not null && !dialplan.InContext(context).Any(s => s.Is("Stasis"))))
            .Select(e => e.Name)
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Contexts callers arrive in: those of endpoints that are not on the agencies' side.</summary>
    public IEnumerable<(string Context, ConfSection Endpoint)> CallerContexts(ISet<string> agencySide) =>
        Endpoints.Values
            .Where(e => !agencySide.Contains(e.Name) && e.Value("context") is not null)
            .Select(e => (e.Value("context")!, e));
}
