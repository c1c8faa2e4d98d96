using Routing.Calls.Centre;

namespace Routing.Engine.Operators;

// The JSON shapes of docs/operator-api.md. Kept apart from the domain's views so that the domain can
// change its names without the console noticing, and the console's contract is in one file.

public sealed record CallTakerDto(
    string Position,
    string? User,
    string State,
    DateTimeOffset Since,
    string? PauseReason,
    string? CallId,
    bool Reachable,
    IReadOnlyList<string> Groups,
    IReadOnlyList<string> Languages);

public sealed record WaitingCallDto(
    string CallId,
    string Group,
    string Priority,
    int Place,
    DateTimeOffset ArrivedAt,
    double Waited,
    string? Language,
    string? Entry,
    IReadOnlyList<string> OfferedTo);

public sealed record GroupDto(string Name, int Waiting, double LongestWait, int Available, string? OverflowTo);

public sealed record CentreDto(DateTimeOffset At, IReadOnlyList<CallTakerDto> CallTakers, IReadOnlyList<WaitingCallDto> Waiting, IReadOnlyList<GroupDto> Groups);

public sealed record QueueDto(IReadOnlyList<WaitingCallDto> Waiting, IReadOnlyList<GroupDto> Groups);

internal static class CentreDtoMapping
{
    public static string PriorityName(CallPriority priority) => priority switch
    {
        CallPriority.Critical => "critical",
        CallPriority.Emergency => "emergency",
        CallPriority.Requeued => "requeued",
        _ => priority.ToString().ToLowerInvariant(),
    };

    public static CallTakerDto ToDto(CallTakerView view, string? user) => new(
        view.Id, user, view.State.ToString(), view.StateSince, view.PauseReason, view.CallId, view.Reachable, [view.Group], view.Languages);

    public static WaitingCallDto ToDto(WaitingCallView view, DateTimeOffset now, string? entry) => new(
        view.CallId,
        view.Groups.Count > 0 ? view.Groups[^1] : "",
        PriorityName(view.Priority),
        view.Position,
        view.FirstQueuedAt,
        Seconds(now - view.FirstQueuedAt),
        view.Language,
        entry,
        view.OfferedTo);

    public static IReadOnlyList<GroupDto> Groups(CentreOptions options, CentreSnapshot snapshot)
    {
        var groups = new List<GroupDto>();
        foreach (var (name, group) in options.Groups)
        {
            var waiting = snapshot.Waiting.Where(w => w.Groups.Count > 0 && string.Equals(w.Groups[^1], name, StringComparison.OrdinalIgnoreCase)).ToList();
            var longest = waiting.Count == 0 ? 0 : waiting.Max(w => Seconds(snapshot.At - w.FirstQueuedAt));
            var available = snapshot.CallTakers.Count(c => string.Equals(c.Group, name, StringComparison.OrdinalIgnoreCase) && c.State == CallTakerState.Available && c.Reachable);
            groups.Add(new GroupDto(name, waiting.Count, longest, available, group.OverflowTo));
        }

        return groups;
    }

    public static double Seconds(TimeSpan span) => Math.Round(Math.Max(0, span.TotalSeconds), 1);
}
