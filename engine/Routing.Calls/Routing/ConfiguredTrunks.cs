namespace Routing.Calls.Routing;

/// <summary>Every trunk the engine may dial, with its configuration key (for errors that name it).</summary>
public static class ConfiguredTrunks
{
    public static IEnumerable<(string Key, TrunkOptions Trunk)> All(RoutingOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
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
}
