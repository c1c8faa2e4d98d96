using Routing.Calls;
using Routing.Calls.Centre;

namespace Routing.Bench.Centre;

/// <summary>
/// A day of a Kazakh city's 112 centre in virtual time, through the real <see cref="CallCentre"/> (no sockets):
/// 3,000 calls a day in the hourly shape below (quiet nights, peak 18:00–19:00 with 8.5 % of the day),
/// N call-takers on one regional group (longest idle) all day. Callers: 60 % choose a language at the greeting
/// (kk 60 %, ru 35 %, en 5 %), 2 % life in danger. Call-takers answer an offer in 2–5 s, 1 % of offers are
/// missed (the position is paused "no answer" and back 60 s later). Talk time: 60 % short calls (not an
/// emergency, prank, advice; mean 40 s), 40 % emergencies with a transfer (mean 150 s), then 10 s wrap-up.
/// Callers hang up after a patience of at least 10 s, mean 120 s (shifted exponential). The group's max wait is 120 s, then the
/// dialplan fallback. Answer time is counted from joining the queue.
/// </summary>
public static class CitySimulation
{
    public const int CallsPerDay = 3_000;
    public const int PeakHour = 18;

    /// <summary>Share of the day's calls per hour 00..23 (sums to 1): night low, evening peak.</summary>
    private static readonly double[] HourShare =
    [
        0.025, 0.020, 0.015, 0.012, 0.010, 0.012, 0.020, 0.030, 0.040, 0.045, 0.048, 0.050,
        0.052, 0.052, 0.052, 0.055, 0.060, 0.070, 0.085, 0.075, 0.065, 0.055, 0.045, 0.057,
    ];

    public sealed record Result(int CallTakers, Levels Peak, Levels Day, double PeakOccupancy);

    /// <param name="Calls">Calls that joined the queue in the period.</param>
    /// <param name="Within10">Share of them answered within 10 s (and 15, 20 s): NENA wants 90 % ≤ 15 s, 95 % ≤ 20 s.</param>
    public sealed record Levels(int Calls, double Within10, double Within15, double Within20, double Abandoned, double Fallback, double P90WaitSeconds, double MaxWaitSeconds)
    {
        public bool MeetsNena => Within15 >= 0.90 && Within20 >= 0.95;
    }

    private static readonly DateTimeOffset Midnight = new(2026, 12, 7, 0, 0, 0, TimeSpan.FromHours(5));

    public static CentreOptions Options(int callTakers, TimeSpan languageWait)
    {
        var o = new CentreOptions
        {
            DefaultGroup = "city",
            OfferTimeout = TimeSpan.FromSeconds(15),
            WrapUp = TimeSpan.FromSeconds(10),
            LanguageWait = languageWait,
            AnnounceInterval = TimeSpan.FromSeconds(30),
        };
        o.Groups["city"] = new GroupOptions { Regions = ["city"], MaxWait = TimeSpan.FromSeconds(120) };
        for (var i = 1; i <= callTakers; i++)
        {
            // Most call-takers speak Kazakh and Russian; some only Russian; a few also English.
            List<string> languages = (i % 10) switch { < 6 => ["kk", "ru"], < 9 => ["ru"], _ => ["ru", "en"] };
            o.Positions[$"calltaker-{i}"] = new PositionOptions { Endpoint = $"PJSIP/calltaker-{i}", Group = "city", Languages = languages };
        }
        return o;
    }

    public static Result Run(int callTakers, int seed, TimeSpan languageWait)
    {
        var clock = new VirtualClock(Midnight);
        var centre = new CallCentre(Options(callTakers, languageWait), clock);
        var random = new Random(seed);
        var events = new PriorityQueue<Action, (DateTimeOffset, long)>();
        long order = 0;
        void At(DateTimeOffset when, Action what) => events.Enqueue(what, (when, order++));

        var joined = new Dictionary<string, DateTimeOffset>();
        var talks = new Dictionary<string, TimeSpan>();
        var answered = new HashSet<string>();
        var waits = new List<(DateTimeOffset Joined, double Seconds)>();
        var abandoned = new List<DateTimeOffset>();
        var fallback = new List<DateTimeOffset>();
        var busySeconds = 0.0;
        var peakStart = Midnight.AddHours(PeakHour);
        var peakEnd = peakStart.AddHours(1);

        for (var i = 1; i <= callTakers; i++)
        {
            centre.DeviceReachability($"calltaker-{i}", true);
            centre.Login($"calltaker-{i}");
        }

        // Poisson arrivals, hour by hour.
        var calls = 0;
        for (var hour = 0; hour < 24; hour++)
        {
            var rate = CallsPerDay * HourShare[hour] / 3600.0;
            var t = Midnight.AddHours(hour);
            var end = t.AddHours(1);
            while (true)
            {
                t = t.AddSeconds(-Math.Log(1 - random.NextDouble()) / rate);
                if (t >= end) break;
                var id = $"call-{++calls}";
                var language = random.Next(100) < 60 ? random.Next(100) switch { < 60 => "kk", < 95 => "ru", _ => "en" } : null;
                var danger = random.Next(100) < 2;
                var patience = TimeSpan.FromSeconds(Exponential(random, 120, 10));
                var talk = TimeSpan.FromSeconds(random.Next(100) < 60 ? Exponential(random, 40, 10) : Exponential(random, 150, 45));
                var arrival = t;
                At(arrival, () =>
                {
                    joined[id] = clock.Now;
                    Handle(centre.Enqueue(new QueueRequest(id, CallEntry.Emergency112, "city", language, danger)));
                    At(clock.Now + patience, () =>
                    {
                        if (!answered.Contains(id) && joined.ContainsKey(id)) Handle(centre.CallEnded(id));
                    });
                });
                talks[id] = talk;
            }
        }

        // Bounded: a day and a half of virtual time and a fixed number of steps, whatever happens.
        var stopAt = Midnight.AddHours(36);
        for (var steps = 0; steps < 5_000_000 && clock.Now < stopAt && (events.Count > 0 || centre.NextDueAt is not null); steps++)
        {
            events.TryPeek(out _, out var next);
            var due = centre.NextDueAt;
            if (events.Count == 0 || (due is { } d && d < next.Item1))
            {
                clock.AdvanceTo(due!.Value);
                Handle(centre.Tick());
                continue;
            }
            var action = events.Dequeue();
            clock.AdvanceTo(next.Item1);
            action();
            // Past midnight with nobody left waiting: the day is over.
            if (events.Count == 0 && centre.WaitingCount == 0) break;
        }

        return new Result(callTakers, Measure(waits, abandoned, fallback, peakStart, peakEnd, joined), Measure(waits, abandoned, fallback, Midnight, Midnight.AddDays(1), joined),
            busySeconds / (callTakers * 3600.0));

        void Handle(CentreResult result)
        {
            foreach (var decision in result.Decisions)
            {
                switch (decision)
                {
                    case OfferCall offer:
                        foreach (var target in offer.Targets)
                        {
                            // 1 % of offers are missed: the centre's own offer timeout pauses the position.
                            if (random.Next(100) == 0) continue;
                            var callId = offer.CallId;
                            var position = target.CallTakerId;
                            At(clock.Now + TimeSpan.FromSeconds(2 + random.NextDouble() * 3), () => Handle(centre.OfferAnswered(callId, position)));
                        }
                        break;
                    case CallAnswered a:
                        answered.Add(a.CallId);
                        waits.Add((joined[a.CallId], a.Waited.TotalSeconds));
                        var talk = talks[a.CallId];
                        if (clock.Now >= peakStart && clock.Now < peakEnd) busySeconds += Math.Min(talk.TotalSeconds + 10, (peakEnd - clock.Now).TotalSeconds);
                        var ended = a.CallId;
                        At(clock.Now + talk, () => Handle(centre.CallEnded(ended)));
                        break;
                    case CallLeftQueue left:
                        abandoned.Add(joined[left.CallId]);
                        break;
                    case HandToFallback f:
                        fallback.Add(joined[f.CallId]);
                        break;
                    case CallTakerChanged { To: CallTakerState.Paused, Reason: "no answer" } paused:
                        var back = paused.CallTakerId;
                        At(clock.Now + TimeSpan.FromSeconds(60), () => Handle(centre.Resume(back)));
                        break;
                }
            }
        }
    }

    private static double Exponential(Random random, double mean, double minimum) => minimum + -Math.Log(1 - random.NextDouble()) * (mean - minimum);

    private static Levels Measure(List<(DateTimeOffset Joined, double Seconds)> waits, List<DateTimeOffset> abandoned, List<DateTimeOffset> fallback,
        DateTimeOffset from, DateTimeOffset to, Dictionary<string, DateTimeOffset> joined)
    {
        bool In(DateTimeOffset t) => t >= from && t < to;
        var calls = joined.Values.Count(In);
        var answeredWaits = waits.Where(w => In(w.Joined)).Select(w => w.Seconds).Order().ToArray();
        double Share(double seconds) => calls == 0 ? 0 : answeredWaits.Count(w => w <= seconds) / (double)calls;
        var p90 = answeredWaits.Length == 0 ? 0 : answeredWaits[Math.Clamp((int)Math.Ceiling(0.9 * answeredWaits.Length) - 1, 0, answeredWaits.Length - 1)];
        return new Levels(calls, Share(10), Share(15), Share(20),
            calls == 0 ? 0 : abandoned.Count(In) / (double)calls, calls == 0 ? 0 : fallback.Count(In) / (double)calls,
            p90, answeredWaits.Length == 0 ? 0 : answeredWaits[^1]);
    }
}
