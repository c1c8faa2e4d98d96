using System.Globalization;

namespace Routing.Calls.Location;

/// <summary>How a location is written on a call's record (ledger event <c>location</c>): source, times, accuracy,
/// shape, method, then the raw value exactly as received, so a later reader can judge it as the call-taker did.</summary>
public static class LocationRecordText
{
    public static string SourceName(LocationSource source) => source switch
    {
        LocationSource.SipPidfLo => "sip-pidf",
        LocationSource.Aml => "aml",
        LocationSource.SosDevice => "sos-device",
        LocationSource.CallTaker => "call-taker",
        _ => source.ToString(),
    };

    /// <summary>The shape as recorded: a point with its uncertainty circle, or a civic address only.</summary>
    public static string Shape(CallLocation location) => location switch
    {
        { Point: { } p, UncertaintyMeters: { } u } => $"circle {p} r={GeoPoint.Format(Math.Round(u, 1))} m",
        { Point: { } p } => $"point {p}",
        _ => "civic",
    };

    public static string Detail(CallLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        var parts = new List<string>
        {
            $"source={SourceName(location.Source)}",
            $"received={Time(location.ReceivedAt)}",
        };
        if (location.MeasuredAt is { } measured) parts.Add($"measured={Time(measured)}");
        parts.Add(location.UncertaintyMeters is { } u ? $"accuracy={GeoPoint.Format(Math.Round(u, 1))} m" : "accuracy=unknown");
        parts.Add($"shape={Shape(location)}");
        if (!string.IsNullOrEmpty(location.CivicAddress)) parts.Add($"civic={location.CivicAddress}");
        if (!string.IsNullOrEmpty(location.Method)) parts.Add($"method={location.Method}");
        parts.Add($"raw={location.Raw}");
        return string.Join("; ", parts);
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
