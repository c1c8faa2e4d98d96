using System.Globalization;
using System.Text.Json;

namespace Routing.Calls.Location;

/// <summary>
/// A region's area from GeoJSON (RFC 7946): a Polygon or MultiPolygon geometry, or a Feature /
/// FeatureCollection of them. Positions are [longitude, latitude] as GeoJSON orders them; the first ring
/// of a polygon is its outline, the others are holes.
/// </summary>
public sealed class GeoArea
{
    private readonly IReadOnlyList<Polygon> _polygons;

    private GeoArea(IReadOnlyList<Polygon> polygons) => _polygons = polygons;

    public int PolygonCount => _polygons.Count;

    /// <summary>True when the point is inside an outline and in none of its holes (a point exactly on
    /// an edge may fall either way: regions meet on roads, and the neighbour's call-takers can take it).</summary>
    public bool Contains(GeoPoint point) => _polygons.Any(p => p.Contains(point));

    /// <summary>Parses GeoJSON text; the error names the JSON path of what is wrong.</summary>
    public static bool TryParse(string? geoJson, out GeoArea? area, out string? error)
    {
        area = null;
        if (string.IsNullOrWhiteSpace(geoJson))
        {
            error = "the GeoJSON is empty";
            return false;
        }

        try
        {
            using var doc = JsonDocument.Parse(geoJson, new JsonDocumentOptions { MaxDepth = 16 });
            var polygons = new List<Polygon>();
            if (!Collect(doc.RootElement, "$", polygons, out error)) return false;
            if (polygons.Count == 0)
            {
                error = "the GeoJSON holds no Polygon or MultiPolygon";
                return false;
            }

            area = new GeoArea(polygons);
            return true;
        }
        catch (JsonException ex)
        {
            error = $"not valid JSON at line {(ex.LineNumber ?? 0) + 1}: {ex.Message}";
            return false;
        }
    }

    /// <summary>From the rings of one polygon as configuration binds them ([[lon, lat], …] per ring).</summary>
    public static bool TryFromRings(IReadOnlyList<IReadOnlyList<IReadOnlyList<double>>> rings, out GeoArea? area, out string? error)
    {
        area = null;
        if (!ReadPolygon(rings, "Area", out var polygon, out error)) return false;
        area = new GeoArea([polygon!]);
        return true;
    }

    private static bool Collect(JsonElement node, string path, List<Polygon> polygons, out string? error)
    {
        error = null;
        if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty("type", out var typeNode) || typeNode.ValueKind != JsonValueKind.String)
        {
            error = $"{path}: a GeoJSON object with a \"type\" is expected";
            return false;
        }

        switch (typeNode.GetString())
        {
            case "FeatureCollection":
                if (!node.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
                {
                    error = $"{path}.features: an array is expected";
                    return false;
                }

                var i = 0;
                foreach (var feature in features.EnumerateArray())
                {
                    if (!Collect(feature, $"{path}.features[{i++}]", polygons, out error)) return false;
                }

                return true;
            case "Feature":
                if (!node.TryGetProperty("geometry", out var geometry))
                {
                    error = $"{path}.geometry is missing";
                    return false;
                }

                return Collect(geometry, path + ".geometry", polygons, out error);
            case "Polygon":
                if (!Coordinates(node, path, out var rings, out error)) return false;
                var polygonRings = Rings(rings, path + ".coordinates", out error);
                if (error is not null || !ReadPolygon(polygonRings, path + ".coordinates", out var polygon, out error)) return false;
                polygons.Add(polygon!);
                return true;
            case "MultiPolygon":
                if (!Coordinates(node, path, out var multi, out error)) return false;
                var k = 0;
                foreach (var member in multi.EnumerateArray())
                {
                    var memberPath = $"{path}.coordinates[{k++}]";
                    if (member.ValueKind != JsonValueKind.Array)
                    {
                        error = memberPath + ": an array of rings is expected";
                        return false;
                    }

                    var memberRings = Rings(member, memberPath, out error);
                    if (error is not null || !ReadPolygon(memberRings, memberPath, out var p, out error)) return false;
                    polygons.Add(p!);
                }

                return true;
            default:
                error = $"{path}.type: '{typeNode.GetString()}' is not Polygon, MultiPolygon, Feature or FeatureCollection";
                return false;
        }
    }

    private static bool Coordinates(JsonElement node, string path, out JsonElement coordinates, out string? error)
    {
        if (!node.TryGetProperty("coordinates", out coordinates) || coordinates.ValueKind != JsonValueKind.Array)
        {
            error = $"{path}.coordinates: an array is expected";
            return false;
        }

        error = null;
        return true;
    }

    private static List<IReadOnlyList<IReadOnlyList<double>>> Rings(JsonElement rings, string path, out string? error)
    {
        error = null;
        var result = new List<IReadOnlyList<IReadOnlyList<double>>>();
        var r = 0;
        foreach (var ring in rings.EnumerateArray())
        {
            var positions = new List<IReadOnlyList<double>>();
            if (ring.ValueKind != JsonValueKind.Array)
            {
                error = $"{path}[{r}]: a ring (array of positions) is expected";
                return result;
            }

            var p = 0;
            foreach (var position in ring.EnumerateArray())
            {
                if (position.ValueKind != JsonValueKind.Array || position.GetArrayLength() < 2
                    || position.EnumerateArray().Take(2).Any(n => n.ValueKind != JsonValueKind.Number))
                {
                    error = $"{path}[{r}][{p}]: a position [longitude, latitude] is expected";
                    return result;
                }

                positions.Add(position.EnumerateArray().Take(2).Select(n => n.GetDouble()).ToArray());
                p++;
            }

            result.Add(positions);
            r++;
        }

        return result;
    }

    private static bool ReadPolygon(IReadOnlyList<IReadOnlyList<IReadOnlyList<double>>> rings, string path, out Polygon? polygon, out string? error)
    {
        polygon = null;
        if (rings.Count == 0)
        {
            error = $"{path}: a polygon needs an outline ring";
            return false;
        }

        var read = new List<GeoPoint[]>();
        for (var r = 0; r < rings.Count; r++)
        {
            var ring = rings[r];
            if (ring.Count < 4)
            {
                error = $"{path}[{r}]: a ring needs at least 4 positions (closed), this one has {ring.Count}";
                return false;
            }

            var points = new GeoPoint[ring.Count];
            for (var i = 0; i < ring.Count; i++)
            {
                if (ring[i].Count < 2)
                {
                    error = $"{path}[{r}][{i}]: a position [longitude, latitude] is expected";
                    return false;
                }

                if (!GeoPoint.TryCreate(ring[i][1], ring[i][0], out points[i], out var range))
                {
                    error = $"{path}[{r}][{i}]: {range}";
                    return false;
                }
            }

            if (points[0] != points[^1])
            {
                error = $"{path}[{r}]: the ring is not closed (its last position must repeat the first, {Show(points[0])})";
                return false;
            }

            read.Add(points);
        }

        polygon = new Polygon(read[0], read.Skip(1).ToArray());
        error = null;
        return true;
    }

    private static string Show(GeoPoint p) => string.Create(CultureInfo.InvariantCulture, $"[{p.Longitude}, {p.Latitude}]");

    private sealed class Polygon(GeoPoint[] outline, GeoPoint[][] holes)
    {
        public bool Contains(GeoPoint p) => Inside(outline, p) && !holes.Any(h => Inside(h, p));

        // Ray casting on longitude/latitude as a plane: regions are cities and oblasts, far from the
        // poles and the antimeridian, where the plane is exact enough.
        private static bool Inside(GeoPoint[] ring, GeoPoint p)
        {
            var inside = false;
            for (int i = 0, j = ring.Length - 1; i < ring.Length; j = i++)
            {
                var a = ring[i];
                var b = ring[j];
                if ((a.Latitude > p.Latitude) != (b.Latitude > p.Latitude)
                    && p.Longitude < (b.Longitude - a.Longitude) * (p.Latitude - a.Latitude) / (b.Latitude - a.Latitude) + a.Longitude)
                {
                    inside = !inside;
                }
            }

            return inside;
        }
    }
}
