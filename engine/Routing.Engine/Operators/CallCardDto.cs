using Routing.Calls;

namespace Routing.Engine.Operators;

public sealed record DecisionDto(string? Agency, string? IncidentType, string? Note, string Kind, string By);

/// <summary>Where the caller is, as the latest source said; <c>mapLink</c> opens OpenStreetMap (no script on the console).</summary>
public sealed record LocationDto(
    string Source,
    double? Latitude,
    double? Longitude,
    double? AccuracyMeters,
    string? Address,
    string Method,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? MeasuredAt,
    string? MapLink,
    string? GeoUri,
    string? Rule);

public sealed record TransferDto(string Agency, string Mode, string State, string? Trunk, int Attempt);

/// <summary>The call card of docs/operator-api.md.</summary>
public sealed record CallCardDto(
    string CallId,
    string State,
    string CallerNumber,
    string Entry,
    string Region,
    string Language,
    DateTimeOffset ArrivedAt,
    double Waited,
    string? IvrHint,
    string? Location,
    string? Agency,
    string? CallTaker,
    bool OnHold,
    DecisionDto? Classification,
    TransferDto? Transfer,
    string? Outcome,
    LocationDto? Where = null);

internal static class CallCards
{
    public static CallCardDto Of(Call call, DateTimeOffset now)
    {
        var s = call.Snapshot;
        var c = call.Classification;
        var waited = s.AnswerTime ?? (now - call.ArrivedAt);
        return new CallCardDto(
            s.CallId,
            s.State.ToString(),
            c.CallerNumber,
            s.Entry,
            s.Region,
            s.Language,
            call.ArrivedAt,
            CentreDtoMapping.Seconds(waited),
            s.IvrHint,
            s.Location?.Describe() ?? c.Location,
            s.Agency,
            s.CallTakerPresent ? s.CallTaker : null,
            s.OnHold,
            s.Decision is { } d ? new DecisionDto(d.Agency, d.IncidentType, d.Note, KindName(d.Kind), d.By) : null,
            s.Transfer is { } t ? new TransferDto(t.Agency, t.Mode == TransferMode.Warm ? "warm" : "blind", t.State, t.Trunk, t.Attempt) : null,
            s.Outcome?.ToString(),
            s.Location is { } l ? LocationOf(l, s.LocationRule) : null);
    }

    public static LocationDto LocationOf(Routing.Calls.Location.CallLocation l, string? rule) => new(
        Routing.Calls.Location.LocationRecordText.SourceName(l.Source),
        l.Point?.Latitude,
        l.Point?.Longitude,
        l.UncertaintyMeters,
        l.CivicAddress,
        l.Method,
        l.ReceivedAt,
        l.MeasuredAt,
        l.Point?.MapLink(),
        l.Point?.GeoUri(l.UncertaintyMeters),
        rule);

    public static string KindName(ClassificationKind kind) => kind switch
    {
        ClassificationKind.NonEmergency => "nonEmergency",
        ClassificationKind.Prank => "prank",
        ClassificationKind.Silent => "silent",
        _ => "emergency",
    };
}
