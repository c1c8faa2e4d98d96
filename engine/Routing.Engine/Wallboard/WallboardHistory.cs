namespace Routing.Engine.Wallboard;

/// <summary>A service level over one window: calls answered by a call-taker and how many within the
/// NENA thresholds (90 % within 15 s, 95 % within 20 s).</summary>
public sealed record ServiceLevel(string Window, int Answered, int Within15, int Within20, double? Share15, double? Share20);

/// <summary>One minute of the live chart: calls arrived and the longest wait seen (answer times of that
/// minute, and the current queue's longest wait for the running minute).</summary>
public sealed record MinuteSample(DateTimeOffset Minute, int Calls, double LongestWait);

public sealed record TrunkFailures(string Trunk, int Failures, string LastReason, DateTimeOffset LastAt);

/// <summary>
/// What the supervisor's wallboard shows over time, kept in memory since the engine started (the shift):
/// answer times, arrivals per minute and failed trunk legs. Bounded: answers and minutes older than
/// <see cref="Keep"/> are dropped; trunk failures are counted per trunk. Fed by the centre's tally and
/// the call observer, read by <c>GET /api/wallboard</c>.
/// </summary>
public sealed class WallboardHistory(TimeProvider time)
{
    public static readonly TimeSpan Keep = TimeSpan.FromHours(13);

    private readonly Lock gate = new();
    private readonly Queue<(DateTimeOffset At, double Waited)> answers = new();
    private readonly SortedDictionary<DateTimeOffset, (int Calls, double LongestWait)> minutes = [];
    private readonly Dictionary<string, TrunkFailures> trunks = new(StringComparer.OrdinalIgnoreCase);

    public DateTimeOffset ShiftStart { get; } = time.GetUtcNow();

    public void RecordAnswered(TimeSpan waited)
    {
        var now = time.GetUtcNow();
        var seconds = Math.Max(0, waited.TotalSeconds);
        lock (gate)
        {
            answers.Enqueue((now, seconds));
            var minute = MinuteOf(now);
            var current = minutes.GetValueOrDefault(minute);
            minutes[minute] = (current.Calls, Math.Max(current.LongestWait, seconds));
            Trim(now);
        }
    }

    public void RecordArrival()
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            var minute = MinuteOf(now);
            var current = minutes.GetValueOrDefault(minute);
            minutes[minute] = (current.Calls + 1, current.LongestWait);
            Trim(now);
        }
    }

    public void RecordTrunkFailure(string trunk, string reason)
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            trunks[trunk] = trunks.TryGetValue(trunk, out var known)
                ? known with { Failures = known.Failures + 1, LastReason = reason, LastAt = now }
                : new TrunkFailures(trunk, 1, reason, now);
        }
    }

    public IReadOnlyList<ServiceLevel> ServiceLevels()
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            return
            [
                Level("15m", now - TimeSpan.FromMinutes(15)),
                Level("1h", now - TimeSpan.FromHours(1)),
                Level("shift", ShiftStart),
            ];
        }
    }

    /// <summary>The last <paramref name="count"/> minutes, oldest first, empty minutes included;
    /// <paramref name="longestWaitNow"/> raises the running minute's longest wait.</summary>
    public IReadOnlyList<MinuteSample> Minutes(int count, double longestWaitNow)
    {
        var now = MinuteOf(time.GetUtcNow());
        lock (gate)
        {
            var samples = new List<MinuteSample>(count);
            for (var i = count - 1; i >= 0; i--)
            {
                var minute = now - TimeSpan.FromMinutes(i);
                var (calls, longest) = minutes.GetValueOrDefault(minute);
                samples.Add(new MinuteSample(minute, calls, Math.Round(i == 0 ? Math.Max(longest, longestWaitNow) : longest, 1)));
            }

            return samples;
        }
    }

    public IReadOnlyList<TrunkFailures> Trunks()
    {
        lock (gate)
        {
            return trunks.Values.OrderByDescending(t => t.Failures).ThenBy(t => t.Trunk, StringComparer.Ordinal).ToList();
        }
    }

    private ServiceLevel Level(string window, DateTimeOffset since)
    {
        int answered = 0, within15 = 0, within20 = 0;
        foreach (var (at, waited) in answers)
        {
            if (at < since)
            {
                continue;
            }

            answered++;
            within15 += waited <= 15 ? 1 : 0;
            within20 += waited <= 20 ? 1 : 0;
        }

        return new ServiceLevel(window, answered, within15, within20,
            answered == 0 ? null : Math.Round((double)within15 / answered, 3),
            answered == 0 ? null : Math.Round((double)within20 / answered, 3));
    }

    private void Trim(DateTimeOffset now)
    {
        while (answers.Count > 0 && answers.Peek().At < now - Keep)
        {
            answers.Dequeue();
        }

        while (minutes.Count > 0 && minutes.First().Key < now - Keep)
        {
            minutes.Remove(minutes.First().Key);
        }
    }

    private static DateTimeOffset MinuteOf(DateTimeOffset at) => new(at.Year, at.Month, at.Day, at.Hour, at.Minute, 0, TimeSpan.Zero);
}
