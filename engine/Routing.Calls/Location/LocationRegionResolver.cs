namespace Routing.Calls.Location;

/// <summary>Which region a location puts a caller in, and the rule that decided, in words for
/// <c>routing explain</c> and the ledger.</summary>
/// <param name="Region">The region whose area holds the location, or null: the caller's number decides.</param>
public sealed record LocationDecision(string? Region, string Rule);

/// <summary>
/// Routes by where the caller is when that is known well enough: a mobile from Almaty calling from Astana
/// goes to Astana's agencies. A location chooses the region only when it is trustworthy (recent, precise,
/// from a source allowed to route) and falls inside a configured area; otherwise the number decides as
/// before, and the rule says why.
/// </summary>
public sealed class LocationRegionResolver
{
    private readonly IReadOnlyList<(string Region, GeoArea Area)> _areas;
    private readonly LocationOptions _options;

    /// <param name="areas">Region key → area; regions without one are reached by caller prefix only.
    /// Order matters where areas overlap: the first that holds the point wins (list cities before oblasts).</param>
    public LocationRegionResolver(IEnumerable<KeyValuePair<string, GeoArea>> areas, LocationOptions options)
    {
        ArgumentNullException.ThrowIfNull(areas);
        _areas = areas.Select(a => (a.Key, a.Value)).ToList();
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    public bool HasAreas => _areas.Count > 0;

    /// <param name="routingAllowed">False when the sender said <c>Geolocation-Routing: no</c> (RFC 6442).</param>
    public LocationDecision Resolve(CallLocation? location, DateTimeOffset now, bool routingAllowed = true)
    {
        if (location is null) return new LocationDecision(null, "no location");
        if (location.Point is not { } point) return new LocationDecision(null, $"{location.Source} location has no coordinates");
        if (!_areas.Any()) return new LocationDecision(null, "no region has an area configured");
        if (!routingAllowed) return new LocationDecision(null, $"{location.Source} location: the sender forbids routing by it (Geolocation-Routing: no)");
        if (location.Source == LocationSource.SipPidfLo && !_options.RouteBySipLocation)
            return new LocationDecision(null, "SIP location is not used for routing (Routing:Location:RouteBySipLocation is false)");

        if (location.Source is LocationSource.SipPidfLo or LocationSource.Aml)
        {
            if (location.UncertaintyMeters is { } u && u > _options.RoutingMaxUncertaintyMeters)
                return new LocationDecision(null, $"{location.Source} location ±{u:0} m is less precise than Routing:Location:RoutingMaxUncertaintyMeters {_options.RoutingMaxUncertaintyMeters:0} m");
            var age = location.AgeAt(now);
            if (age > _options.RoutingMaxAge)
                return new LocationDecision(null, $"{location.Source} location is {age.TotalSeconds:0} s old, older than Routing:Location:RoutingMaxAge {_options.RoutingMaxAge}");
        }

        foreach (var (region, area) in _areas)
        {
            if (area.Contains(point)) return new LocationDecision(region, $"{location.Source} location {point} is inside region {region}'s area");
        }

        return new LocationDecision(null, $"{location.Source} location {point} is inside no configured region area");
    }
}
