using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Routing.Calls;
using Routing.Calls.Routing;

namespace Routing.Engine.Operators;

// Request bodies of the operator API and their checks. Every refusal names the field and what is allowed.

public sealed record ReasonBody(string? Reason);

public sealed record ClassifyBody(string? Agency, string? IncidentType, string? Note, string? Kind);

public sealed record TransferBody(string? Agency, string? Mode);

/// <summary>The call-taker's location: an address, coordinates, or both (accuracy in metres, optional).</summary>
public sealed record LocationBody(string? Address, double? Latitude, double? Longitude, double? AccuracyMeters);

internal static class OperatorBodies
{
    public const int MaxNote = 500;
    public const int MaxShortText = 80;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Reads an optional JSON body: an empty body is <paramref name="empty"/>, malformed JSON a 400 naming the problem.</summary>
    public static async Task<(T? Body, string? Problem)> ReadAsync<T>(HttpRequest request, T empty, CancellationToken cancellationToken)
        where T : class
    {
        if (request.ContentLength is 0 || (request.ContentLength is null && !request.Headers.ContainsKey("Transfer-Encoding")))
        {
            return (empty, null);
        }

        try
        {
            var body = await JsonSerializer.DeserializeAsync<T>(request.Body, Json, cancellationToken).ConfigureAwait(false);
            return (body ?? empty, null);
        }
        catch (JsonException ex)
        {
            return (null, $"body is not valid JSON: {ex.Message}");
        }
    }

    public static string? CheckText(string field, string? text, int max, bool allowNewLines = false)
    {
        if (text is null)
        {
            return null;
        }

        if (text.Length > max)
        {
            return $"{field} is longer than {max} characters";
        }

        return text.Any(c => char.IsControl(c) && !(allowNewLines && c is '\n')) ? $"{field} holds control characters" : null;
    }

    public static string? CheckAgency(RoutingOptions routing, string field, string? agency, bool required)
    {
        if (string.IsNullOrWhiteSpace(agency))
        {
            return required ? $"{field} is required ({string.Join(", ", routing.Agencies.Keys)})" : null;
        }

        return routing.Agencies.ContainsKey(agency)
            ? null
            : $"{field} '{new string(agency.Take(40).Where(c => !char.IsControl(c)).ToArray())}' is not a configured agency ({string.Join(", ", routing.Agencies.Keys)})";
    }

    public static (CallTakerAction? Action, string? Problem) Classify(RoutingOptions routing, ClassifyBody body)
    {
        ClassificationKind kind;
        switch (body.Kind?.Trim().ToLowerInvariant())
        {
            case null or "" or "emergency":
                kind = ClassificationKind.Emergency;
                break;
            case "nonemergency" or "non-emergency":
                kind = ClassificationKind.NonEmergency;
                break;
            case "prank":
                kind = ClassificationKind.Prank;
                break;
            case "silent":
                kind = ClassificationKind.Silent;
                break;
            default:
                return (null, "kind must be emergency, nonEmergency, prank or silent");
        }

        var problem = CheckAgency(routing, "agency", body.Agency, required: kind == ClassificationKind.Emergency)
            ?? CheckText("incidentType", body.IncidentType, MaxShortText)
            ?? CheckText("note", body.Note, MaxNote, allowNewLines: true);
        if (problem is not null)
        {
            return (null, problem);
        }

        var agency = string.IsNullOrWhiteSpace(body.Agency) ? null : routing.Agencies.Keys.First(k => string.Equals(k, body.Agency, StringComparison.OrdinalIgnoreCase));
        return (new CallTakerAction.Classify(agency, Blank(body.IncidentType), Blank(body.Note), kind), null);
    }

    public static (CallTakerAction? Action, string? Problem) Transfer(RoutingOptions routing, TransferBody body)
    {
        if (CheckAgency(routing, "agency", body.Agency, required: true) is { } problem)
        {
            return (null, problem);
        }

        TransferMode mode;
        switch (body.Mode?.Trim().ToLowerInvariant())
        {
            case null or "" or "warm":
                mode = TransferMode.Warm;
                break;
            case "blind":
                mode = TransferMode.Blind;
                break;
            default:
                return (null, "mode must be warm or blind");
        }

        var agency = routing.Agencies.Keys.First(k => string.Equals(k, body.Agency, StringComparison.OrdinalIgnoreCase));
        return (new CallTakerAction.Transfer(agency, mode), null);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    public const int MaxAddress = 240;

    /// <summary>A location typed by a call-taker: an address and/or both coordinates, each checked and named when wrong.</summary>
    public static (CallTakerAction? Action, string? Problem) Location(LocationBody body, DateTimeOffset now)
    {
        if (CheckText("address", body.Address, MaxAddress) is { } bad) return (null, bad);
        var address = string.IsNullOrWhiteSpace(body.Address) ? null : body.Address.Trim();
        if (body.Latitude is null != body.Longitude is null) return (null, "latitude and longitude go together: give both or neither");
        Routing.Calls.Location.GeoPoint? point = null;
        if (body.Latitude is { } lat && body.Longitude is { } lon)
        {
            if (!Routing.Calls.Location.GeoPoint.TryCreate(lat, lon, out var p, out var error)) return (null, error);
            point = p;
        }

        if (point is null && address is null) return (null, "give an address, or latitude and longitude");
        if (body.AccuracyMeters is { } a && (!double.IsFinite(a) || a < 0 || a > 100_000)) return (null, "accuracyMeters must be between 0 and 100000");
        var raw = System.Text.Json.JsonSerializer.Serialize(body, Json);
        return (new CallTakerAction.SetLocation(new Routing.Calls.Location.CallLocation(Routing.Calls.Location.LocationSource.CallTaker, now, null, point,
            point is null ? null : body.AccuracyMeters, address, "typed", raw)), null);
    }
}
