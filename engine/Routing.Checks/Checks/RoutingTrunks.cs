using Routing.Calls.Routing;

namespace Routing.Checks.Checks;

/// <summary>Every trunk the engine may dial, with its configuration key.</summary>
internal static class RoutingTrunks
{
    public const string PjsipPrefix = "PJSIP/";

    public static IEnumerable<(string Key, TrunkOptions Trunk)> All(RoutingOptions o)
    {
        foreach (var (region, options) in o.Regions)
        {
            foreach (var (agency, trunks) in options?.Trunks ?? [])
            {
                for (var i = 0; i < (trunks?.Count ?? 0); i++)
                {
                    if (trunks![i] is { } t) yield return ($"Routing:Regions:{region}:Trunks:{agency}:{i}", t);
                }
            }
        }
        foreach (var (agency, trunks) in o.NationalFallback)
        {
            for (var i = 0; i < (trunks?.Count ?? 0); i++)
            {
                if (trunks![i] is { } t) yield return ($"Routing:NationalFallback:{agency}:{i}", t);
            }
        }
        for (var i = 0; i < (o.Operators?.Trunks?.Count ?? 0); i++)
        {
            if (o.Operators!.Trunks[i] is { } t) yield return ($"Routing:Operators:Trunks:{i}", t);
        }
    }

    /// <summary>The PJSIP endpoint name of a dial string (<c>PJSIP/fire-almaty-1</c> → <c>fire-almaty-1</c>,
    /// <c>PJSIP/x/sip:...</c> → <c>x</c>); null for other technologies.</summary>
    public static string? PjsipEndpoint(string? dialString)
    {
        if (dialString is null || !dialString.StartsWith(PjsipPrefix, StringComparison.OrdinalIgnoreCase)) return null;
        var resource = dialString[PjsipPrefix.Length..];
        var slash = resource.IndexOf('/');
        return (slash >= 0 ? resource[..slash] : resource).Trim();
    }
}
