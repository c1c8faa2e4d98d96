using Routing.Calls.Text;

namespace Routing.Engine.Text;

/// <summary>A text session as the operator API and the console show it.</summary>
public sealed record TextSessionDto(
    string SessionId,
    string State,
    string Gateway,
    string Number,
    string Name,
    string Region,
    string? Language,
    string? CallTaker,
    string? Agency,
    string? Kind,
    string? Outcome,
    string? CloseReason,
    string? PreviousSessionId,
    DateTimeOffset OpenedAt,
    DateTimeOffset LastActivity,
    IReadOnlyList<TextMessageDto> Messages)
{
    public static TextSessionDto Of(TextSession s) => new(
        s.Id, s.State.ToString(), s.Gateway, s.Number, s.Name, s.Region, s.Language, s.CallTaker, s.Agency, s.Kind?.ToString(),
        s.Outcome?.ToString(), s.CloseReason, s.PreviousId, s.OpenedAt, s.LastActivity, s.Messages.Select(TextMessageDto.Of).ToArray());
}

public sealed record TextMessageDto(int Seq, string Direction, string Text, DateTimeOffset At, string Author)
{
    public static TextMessageDto Of(TextMessage m) => new(m.Seq, m.Direction switch
    {
        TextDirection.In => "in",
        TextDirection.Out => "out",
        _ => "agency",
    }, m.Text, m.At, m.Author);
}
