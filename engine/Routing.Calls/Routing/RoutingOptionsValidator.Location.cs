using Routing.Calls.Location;

namespace Routing.Calls.Routing;

public static partial class RoutingOptionsValidator
{
    /// <summary>Region outlines, the trust bounds of <c>Routing:Location</c>, and the place of each device.</summary>
    private static void ValidateLocation(RoutingOptions o, List<string> errors)
    {
        RegionAreas.Read(o, out var areaErrors);
        errors.AddRange(areaErrors);

        const string path = $"{Root}:Location";
        if (o.Location is not { } l)
        {
            errors.Add($"{path} is missing");
        }
        else
        {
            if (!double.IsFinite(l.RoutingMaxUncertaintyMeters) || l.RoutingMaxUncertaintyMeters <= 0)
                errors.Add($"{path}:RoutingMaxUncertaintyMeters must be a positive number of metres");
            if (l.RoutingMaxAge <= TimeSpan.Zero) errors.Add($"{path}:RoutingMaxAge must be positive");
            if (l.AmlMaxAge <= TimeSpan.Zero) errors.Add($"{path}:AmlMaxAge must be positive");
            if (l.AmlEarlyTolerance < TimeSpan.Zero) errors.Add($"{path}:AmlEarlyTolerance must not be negative");
            if (l.AmlLateTolerance < TimeSpan.Zero) errors.Add($"{path}:AmlLateTolerance must not be negative");
        }

        foreach (var (id, device) in o.Devices ?? [])
        {
            if (device is null) continue;
            var at = $"{Root}:Devices:{id}";
            if (device.Latitude is null != device.Longitude is null)
                errors.Add($"{at}: set both Latitude and Longitude, or neither");
            else if (device.Latitude is { } lat && device.Longitude is { } lon && !GeoPoint.TryCreate(lat, lon, out _, out var range))
                errors.Add($"{at}: {range}");
            if (!double.IsFinite(device.UncertaintyMeters) || device.UncertaintyMeters < 0)
                errors.Add($"{at}:UncertaintyMeters must be a number of metres, not negative");
        }
    }
}
