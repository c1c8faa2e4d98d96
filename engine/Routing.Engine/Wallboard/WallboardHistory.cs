namespace Routing.Engine.Wallboard;

/// <summary>A service level over one window: calls answered by a call-taker and how many within the
/// NENA thresholds (90 % within 15 s, 95 % within 20 s).</summary>
public sealed record ServiceLevel(string Window, int Answered, int Within15, int Within20, double? Share15, double? Share20);

/// <summary>One minute of the live chart: calls arrived and the longest wait seen (answer times of that
/// minute, and the current queue's longest wait for the running minute).</summary>
public sealed record MinuteSample(DateTimeOffset Minute, int Calls, double LongestWait);

public sealed record TrunkFailures(string Trunk, int Failures, string LastReason, DateTimeOffset LastAt);

/// <summary>Whether the history holds what the ledger says happened before this engine started.</summary>
public enum WallboardSeedState
{
    /// <summary>Still being read from the ledger: the figures hold only what happened since start.</summary>
    Pending,

    /// <summary>The ledger's last <see cref="WallboardHistory.Keep"/> before start is in.</summary>
    Seeded,

    /// <summary>The ledger could not be read at start: the figures hold only what happened since start.</summary>
    Failed,
}

/// <summary>
/// What the supervisor's wallboard shows over time: answer times, arrivals per minute and failed trunk legs.
/// Kept in memory from <see cref="LiveSince"/> on, fed by the centre's tally and the call observer; what
/// happened before (an engine restarted mid-shift) is folded in once from the ledger by
/// <see cref="WallboardSeeder"/> (<see cref="Seed"/>). Bounded: answers and minutes older than
/// <see cref="Keep"/> are dropped; trunk failures are counted per trunk. Read by <c>GET /api/wallboard</c>.
/// </summary>
public sealed class WallboardHistory
{
    public static readonly TimeSpan Keep = TimeSpan.FromHours(13);

    private readonly TimeProvider time;
    private readonly Lock gate = new();
    private readonly Queue<(DateTimeOffset At, double Waited)> answers = new();
    private readonly SortedDictionary<DateTimeOffset, (int Calls, double LongestWait)> minutes = [];
    private readonly Dictionary<string, TrunkFailures> trunks = new(StringComparer.OrdinalIgnoreCase);
    private DateTimeOffset shiftStart;
    private WallboardSeedState seedState = WallboardSeedState.Pending;

    public WallboardHistory(TimeProvider time)
    {
        this.time = time;
        // Truncated to the ledger's microseconds: a fact recorded live is journaled at or after this instant and
        // so stored at or after it too, while the seed reads only facts stored before it. Nothing counts twice.
        var ticks = time.GetUtcNow().UtcTicks;
        LiveSince = new DateTimeOffset(ticks - (ticks % 10), TimeSpan.Zero);
        shiftStart = LiveSince;
    }

    /// <summary>From this instant on the history is fed live; the ledger's facts before it are the seed's.</summary>
    public DateTimeOffset LiveSince { get; }

    /// <summary>Where the <c>shift</c> figures begin: the earliest fact seeded from the ledger (at most
    /// <see cref="Keep"/> before start), else the engine's start.</summary>
    public DateTimeOffset ShiftStart
    {
        get
        {
            lock (gate)
            {
                return shiftStart;
            }
        }
    }

    public WallboardSeedState SeedState
    {
        get
        {
            lock (gate)
            {
                return seedState;
            }
        }
    }

    /// <summary>Adds what the ledger held before <see cref="LiveSince"/>, once. Every seeded fact is older than
    /// every live one, so seeded answers go in front of those recorded since start.</summary>
    public void Seed(WallboardSeed seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var now = time.GetUtcNow();
        lock (gate)
        {
            if (seedState != WallboardSeedState.Pending)
            {
                throw new InvalidOperationException($"the wallboard history was already seeded ({seedState})");
            }

            var live = answers.ToList();
            answers.Clear();
            foreach (var answer in seed.Answers.Where(a => a.At < LiveSince).Concat(live))
            {
                answers.Enqueue(answer);
            }

            foreach (var (minute, (calls, longest)) in seed.Minutes)
            {
                var current = minutes.GetValueOrDefault(minute);
                minutes[minute] = (current.Calls + calls, Math.Max(current.LongestWait, longest));
            }

            foreach (var seeded in seed.Trunks)
            {
                // A failure since start is the later one: its reason stays the last reason.
                trunks[seeded.Trunk] = trunks.TryGetValue(seeded.Trunk, out var known)
                    ? known with { Failures = known.Failures + seeded.Failures }
                    : seeded;
            }

            if (seed.Earliest is { } earliest && earliest < shiftStart)
            {
                shiftStart = earliest;
            }

            seedState = WallboardSeedState.Seeded;
            Trim(now);
        }
    }

    /// <summary>The ledger could not be read: the history goes on with what happens from start.</summary>
    public void SeedFailed()
    {
        lock (gate)
        {
            if (seedState == WallboardSeedState.Pending)
            {
                seedState = WallboardSeedState.Failed;
            }
        }
    }

    /// <summary>A call answered by a call-taker after <paramref name="waited"/>; <paramref name="at"/> is the instant
    /// its answer was put on the ledger (so the live and the seeded history agree on its minute), else now.</summary>
    public void RecordAnswered(TimeSpan waited, DateTimeOffset? at = null)
    {
        var now = time.GetUtcNow();
        var when = at ?? now;
        var seconds = WallboardFacts.WaitSeconds(waited);
        lock (gate)
        {
            answers.Enqueue((when, seconds));
            var minute = MinuteOf(when);
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
                Level("shift", shiftStart),
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

    internal static DateTimeOffset MinuteOf(DateTimeOffset at) => new(at.Year, at.Month, at.Day, at.Hour, at.Minute, 0, TimeSpan.Zero);
}
