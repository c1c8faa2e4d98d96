namespace Routing.Calls.Location;

/// <summary>Great-circle distance; metres of accuracy are all a call card and an uncertainty need.</summary>
public static class GeoDistance
{
    private const double EarthRadiusMeters = 6_371_008.8;

    public static double Meters(GeoPoint a, GeoPoint b)
    {
        static double Rad(double degrees) => degrees * Math.PI / 180;
        var dLat = Rad(b.Latitude - a.Latitude);
        var dLon = Rad(b.Longitude - a.Longitude);
        var h = Math.Sin(dLat / 2) * Math.Sin(dLat / 2)
                + Math.Cos(Rad(a.Latitude)) * Math.Cos(Rad(b.Latitude)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusMeters * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }
}
