using Routing.Calls;

namespace Routing.Engine.Operators;

public sealed record DecisionDto(string? Agency, string? IncidentType, string? Note, string Kind, string By);

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
    string? Outcome);

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
            c.Location,
            s.Agency,
            s.CallTakerPresent ? s.CallTaker : null,
            s.OnHold,
            s.Decision is { } d ? new DecisionDto(d.Agency, d.IncidentType, d.Note, KindName(d.Kind), d.By) : null,
            s.Transfer is { } t ? new TransferDto(t.Agency, t.Mode == TransferMode.Warm ? "warm" : "blind", t.State, t.Trunk, t.Attempt) : null,
            s.Outcome?.ToString());
    }

    public static string KindName(ClassificationKind kind) => kind switch
    {
        ClassificationKind.NonEmergency => "nonEmergency",
        ClassificationKind.Prank => "prank",
        ClassificationKind.Silent => "silent",
        _ => "emergency",
    };
}
