using System.Globalization;

namespace Routing.Calls.Location;

/// <summary>A WGS 84 position (EPSG:4326), latitude first as PIDF-LO's <c>gml:pos</c> and AML give it.</summary>
public readonly record struct GeoPoint
{
    public GeoPoint(double latitude, double longitude)
    {
        if (!double.IsFinite(latitude) || latitude is < -90 or > 90)
            throw new ArgumentOutOfRangeException(nameof(latitude), latitude, "latitude must be within -90..90 degrees");
        if (!double.IsFinite(longitude) || longitude is < -180 or > 180)
            throw new ArgumentOutOfRangeException(nameof(longitude), longitude, "longitude must be within -180..180 degrees");
        Latitude = latitude;
        Longitude = longitude;
    }

    public double Latitude { get; }

    public double Longitude { get; }

    /// <summary>False (with a reason) where the numbers are no place on Earth; never throws.</summary>
    public static bool TryCreate(double latitude, double longitude, out GeoPoint point, out string? error)
    {
        point = default;
        if (!double.IsFinite(latitude) || latitude is < -90 or > 90)
        {
            error = $"latitude {Format(latitude)} is outside -90..90";
            return false;
        }

        if (!double.IsFinite(longitude) || longitude is < -180 or > 180)
        {
            error = $"longitude {Format(longitude)} is outside -180..180";
            return false;
        }

        point = new GeoPoint(latitude, longitude);
        error = null;
        return true;
    }

    /// <summary>A link a call-taker can open on any map (OpenStreetMap, no API key).</summary>
    public string MapLink() =>
        $"https://www.openstreetmap.org/?mlat={Format(Latitude)}&mlon={Format(Longitude)}#map=17/{Format(Latitude)}/{Format(Longitude)}";

    /// <summary>RFC 5870 <c>geo:</c> URI, the form a SIP header or an SMS can carry.</summary>
    public string GeoUri(double? uncertaintyMeters = null) =>
        uncertaintyMeters is { } u
            ? $"geo:{Format(Latitude)},{Format(Longitude)};u={Format(Math.Round(u, 1))}"
            : $"geo:{Format(Latitude)},{Format(Longitude)}";

    public override string ToString() => $"{Format(Latitude)} {Format(Longitude)}";

    internal static string Format(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
