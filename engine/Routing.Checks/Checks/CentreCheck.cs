using Routing.Calls.Centre;
using Routing.Calls.Routing;
using Routing.Checks.Settings;

namespace Routing.Checks.Checks;

/// <summary>
/// The call-taker centre (<c>Centre</c> in appsettings.json): its own rules (<see cref="CentreOptionsValidator"/>,
/// the same the engine applies at start) on the line of the key each names, and every position against
/// pjsip.conf: a PJSIP endpoint that a desk phone can register to (auth, an AOR with max_contacts) and that
/// speaks one of the position's languages.
/// </summary>
internal static class CentreCheck
{
    public static void Run(AppSettingsFile settings, CentreOptions centre, RoutingOptions? routing, Findings findings)
    {
        foreach (var error in CentreOptionsValidator.Validate(centre, routing))
        {
            var space = error.IndexOf(' ');
            var key = space > 0 ? error[..space] : CentreOptions.Section;
            findings.Error(settings.Path, settings.LineOf(key), error);
        }
    }

    /// <summary>PJSIP endpoints of the positions, to tell them apart from callers' endpoints.</summary>
    public static HashSet<string> PositionEndpoints(CentreOptions? centre) =>
        (centre?.Positions?.Values ?? Enumerable.Empty<PositionOptions>())
            .Select(p => RoutingTrunks.PjsipEndpoint(p?.Endpoint)).OfType<string>()
            .ToHashSet(StringComparer.Ordinal);

    public static void CheckPositions(AppSettingsFile settings, CentreOptions centre, PjsipCheck pjsip, ISet<string> trunkEndpoints, Findings findings)
    {
        var aors = PjsipCheck.OfType(pjsip.File, "aor").ToDictionary(s => s.Name, StringComparer.Ordinal);
        var auths = PjsipCheck.OfType(pjsip.File, "auth").Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (id, position) in centre.Positions ?? [])
        {
            if (position is null || string.IsNullOrWhiteSpace(position.Endpoint)) continue; // the validator said so
            var key = $"{CentreOptions.Section}:Positions:{id}:Endpoint";
            var line = settings.LineOf(key);
            var name = RoutingTrunks.PjsipEndpoint(position.Endpoint);
            if (name is null)
            {
                findings.Warning(settings.Path, line, $"{key} '{position.Endpoint}' is not a PJSIP endpoint; check it by hand");
                continue;
            }
            if (!pjsip.Endpoints.TryGetValue(name, out var endpoint))
            {
                findings.Error(settings.Path, line,
                    $"{key} '{position.Endpoint}': no endpoint [{name}] (type = endpoint) in {pjsip.File.Path}; the position could never be offered a call");
                continue;
            }
            if (trunkEndpoints.Contains(name))
                findings.Error(settings.Path, line, $"{key} '{position.Endpoint}' is also a routing trunk: a call-taker's device is not an agency");

            if (endpoint.Value("auth") is not { Length: > 0 } auth)
                findings.Error(endpoint.File, endpoint.Line, $"endpoint [{name}] of position {id} has no auth: anyone could register as the call-taker");
            else if (!auths.Contains(auth))
                findings.Error(endpoint.File, endpoint.Line, $"endpoint [{name}] of position {id} names auth '{auth}', which is not defined (type = auth)");

            var registrable = (endpoint.Value("aors") ?? "")
                .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Any(a => aors.TryGetValue(a, out var aor) && int.TryParse(aor.Value("max_contacts"), out var max) && max > 0);
            if (!registrable)
                findings.Error(endpoint.File, endpoint.Line, $"endpoint [{name}] of position {id} has no aor with max_contacts: its desk phone cannot register");

            var language = endpoint.Value("language");
            if (language is null || position.Languages is null || !position.Languages.Contains(language, StringComparer.OrdinalIgnoreCase))
            {
                findings.Warning(endpoint.File, endpoint.Line,
                    $"endpoint [{name}] has language '{language}', not one of position {id}'s languages ({string.Join(", ", position.Languages ?? [])}): the call-taker would hear prompts in it");
            }
        }
    }
}
