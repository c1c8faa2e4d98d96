using Routing.Ledger;

namespace Routing.Engine.Wallboard;

/// <summary>
/// The wallboard's history as the ledger tells it, for the part of the shift before this engine started:
/// answers (oldest first, with their wait in seconds), calls and longest wait per minute, failures per
/// trunk, the earliest fact (where the shift's figures begin) and how many facts could not be read.
/// </summary>
public sealed record WallboardSeed(
    IReadOnlyList<(DateTimeOffset At, double Waited)> Answers,
    IReadOnlyDictionary<DateTimeOffset, (int Calls, double LongestWait)> Minutes,
    IReadOnlyList<TrunkFailures> Trunks,
    DateTimeOffset? Earliest,
    int Unreadable)
{
    public static readonly WallboardSeed Empty = new([], new Dictionary<DateTimeOffset, (int, double)>(), [], null, 0);

    /// <summary>Folds the three kinds of facts exactly as the live history would have recorded them:
    /// an arrival counts in its minute, an answer in its minute's longest wait and in the service levels,
    /// a failed leg on its trunk (the last one's reason kept). <paramref name="joinedUnanswered"/> are the
    /// answers of calls recorded before <c>queue.answered</c> existed: a call-taker joining, its wait since the
    /// call first entered the queue (<see cref="WallboardFacts.JoinedKind"/>), counted like any answer.</summary>
    public static WallboardSeed Fold(IEnumerable<EventFact> arrivals, IEnumerable<EventFact> answered, IEnumerable<EventFact> legFailures, IEnumerable<EventSpanFact>? joinedUnanswered = null)
    {
        var minutes = new Dictionary<DateTimeOffset, (int Calls, double LongestWait)>();
        var answers = new List<(DateTimeOffset At, double Waited)>();
        var trunks = new Dictionary<string, TrunkFailures>(StringComparer.OrdinalIgnoreCase);
        DateTimeOffset? earliest = null;
        var unreadable = 0;

        void Saw(DateTimeOffset at) => earliest = earliest is { } e && e <= at ? e : at;

        void Answer(DateTimeOffset at, double waited)
        {
            Saw(at);
            answers.Add((at, waited));
            var minute = WallboardHistory.MinuteOf(at);
            var current = minutes.GetValueOrDefault(minute);
            minutes[minute] = (current.Calls, Math.Max(current.LongestWait, waited));
        }

        foreach (var arrival in arrivals)
        {
            Saw(arrival.At);
            var minute = WallboardHistory.MinuteOf(arrival.At);
            var current = minutes.GetValueOrDefault(minute);
            minutes[minute] = (current.Calls + 1, current.LongestWait);
        }

        foreach (var answer in answered)
        {
            if (!WallboardFacts.TryReadAnswered(answer.Detail, out var waited))
            {
                unreadable++;
                continue;
            }

            Answer(answer.At, waited);
        }

        foreach (var joined in joinedUnanswered ?? [])
        {
            if (joined.Since is not { } since)
            {
                unreadable++;
                continue;
            }

            Answer(joined.At, WallboardFacts.WaitSeconds(joined.At - since));
        }

        foreach (var failure in legFailures.OrderBy(f => f.At))
        {
            if (!WallboardFacts.TryReadLegFailed(failure.Detail, out var trunk, out var reason))
            {
                unreadable++;
                continue;
            }

            Saw(failure.At);
            trunks[trunk] = trunks.TryGetValue(trunk, out var known)
                ? known with { Failures = known.Failures + 1, LastReason = reason, LastAt = failure.At }
                : new TrunkFailures(trunk, 1, reason, failure.At);
        }

        answers.Sort((a, b) => a.At.CompareTo(b.At));
        return new WallboardSeed(answers, minutes, trunks.Values.ToList(), earliest, unreadable);
    }
}
