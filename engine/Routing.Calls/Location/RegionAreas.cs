using Routing.Calls.Routing;

namespace Routing.Calls.Location;

/// <summary>The configured region outlines (<c>Routing:Regions:{region}:Area</c> or <c>AreaGeoJson</c>) read
/// once into <see cref="GeoArea"/>s, in configuration order, with the error of each one that does not read.</summary>
public static class RegionAreas
{
    /// <summary>Region → area for every region with a valid outline; <paramref name="errors"/> names the key of each bad one.</summary>
    public static IReadOnlyList<KeyValuePair<string, GeoArea>> Read(RoutingOptions options, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(options);
        var found = new List<KeyValuePair<string, GeoArea>>();
        var problems = new List<string>();
        foreach (var (region, r) in options.Regions ?? [])
        {
            if (r is null) continue;
            var path = $"{RoutingOptions.Section}:Regions:{region}";
            var hasRings = r.Area is { Count: > 0 };
            var hasJson = !string.IsNullOrWhiteSpace(r.AreaGeoJson);
            if (hasRings && hasJson)
            {
                problems.Add($"{path}: set Area or AreaGeoJson, not both");
                continue;
            }

            GeoArea? area = null;
            string? error = null;
            var ok = hasRings
                ? GeoArea.TryFromRings(r.Area!.Select(ring => (IReadOnlyList<IReadOnlyList<double>>)ring.Select(p => (IReadOnlyList<double>)p).ToList()).ToList(), out area, out error)
                : !hasJson || GeoArea.TryParse(r.AreaGeoJson, out area, out error);
            if (!ok)
            {
                problems.Add($"{path}:{(hasRings ? "Area" : "AreaGeoJson")}: {error}");
                continue;
            }

            if (area is not null) found.Add(new KeyValuePair<string, GeoArea>(region, area));
        }

        errors = problems;
        return found;
    }

    /// <summary>The resolver for these options; bad outlines are left out (the validator refuses them at start).</summary>
    public static LocationRegionResolver Resolver(RoutingOptions options) =>
        new(Read(options, out _), options.Location ?? new LocationOptions());
}
