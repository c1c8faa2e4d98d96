using System.Diagnostics;
using Routing.Calls;
using Routing.Calls.Centre;

namespace Routing.Bench.Centre;

/// <summary>
/// The centre at size: 300 positions in 5 regional groups and a national one, all on calls, and 2,000
/// callers waiting (3 % life in danger; 40 % chose kk, 40 % ru, 5 % en). Each round a call-taker finishes,
/// becomes ready, is offered the next call (the pick), answers it, and a new caller arrives; the timers are
/// ticked. Every input is timed with a Stopwatch (virtual clock for the centre, 50 ms per round).
/// </summary>
public static class CentrePickBench
{
    public const int Positions = 300;
    public const int Waiting = 2_000;
    private const int Regions = 5;

    public sealed record Result(int Rounds, Figures Pick, Figures Answer, Figures Arrival, Figures Tick, double BytesPerWaitingCall, int WaitingAtEnd);

    /// <summary>Microsecond percentiles of one input.</summary>
    public sealed record Figures(double P50, double P99, double Max)
    {
        public static Figures Of(List<long> ticks)
        {
            var us = ticks.Select(t => t * 1_000_000.0 / Stopwatch.Frequency).Order().ToArray();
            return new Figures(Rank(us, 0.50), Rank(us, 0.99), us[^1]);
        }

        private static double Rank(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    public static CentreOptions Options()
    {
        var o = new CentreOptions
        {
            DefaultGroup = "national",
            OfferTimeout = TimeSpan.FromSeconds(15),
            WrapUp = TimeSpan.FromSeconds(10),
            LanguageWait = TimeSpan.FromSeconds(20),
            AnnounceInterval = TimeSpan.FromSeconds(30),
        };
        // Callers overflow to the national group after 10 s (so its positions have work) and then wait there for
        // the whole run instead of being handed to the fallback: the queue stays at 2,000.
        o.Groups["national"] = new GroupOptions { MaxWait = TimeSpan.FromHours(2) };
        for (var r = 1; r <= Regions; r++) o.Groups[$"region-{r}"] = new GroupOptions { Regions = [$"region-{r}"], MaxWait = TimeSpan.FromSeconds(10), OverflowTo = "national" };
        for (var i = 1; i <= Positions; i++)
        {
            var group = i <= 10 ? "national" : $"region-{1 + i % Regions}";
            List<string> languages = (i % 10) switch { < 6 => ["kk", "ru"], < 9 => ["ru"], _ => ["ru", "en"] };
            o.Positions[$"calltaker-{i}"] = new PositionOptions { Endpoint = $"PJSIP/calltaker-{i}", Group = group, Languages = languages };
        }
        return o;
    }

    public static Result Run(int rounds, int warmUp)
    {
        var clock = new VirtualClock(new DateTimeOffset(2026, 12, 6, 18, 0, 0, TimeSpan.Zero));
        var centre = new CallCentre(Options(), clock);
        var random = new Random(112);
        var next = 0;
        var onCall = new Queue<(string Position, string Call)>();

        QueueRequest Caller() => new($"call-{++next}", CallEntry.Emergency112, $"region-{1 + random.Next(Regions)}",
            random.Next(100) switch { < 40 => "kk", < 80 => "ru", < 85 => "en", _ => null }, LifeInDanger: random.Next(100) < 3);

        for (var i = 1; i <= Positions; i++)
        {
            centre.DeviceReachability($"calltaker-{i}", true);
            centre.Login($"calltaker-{i}");
        }
        // Every offer is answered at once by its (single, longest-idle) target.
        void AnswerAll(CentreResult result)
        {
            foreach (var offer in result.Decisions.OfType<OfferCall>())
            {
                centre.OfferAnswered(offer.CallId, offer.Targets[0].CallTakerId);
                onCall.Enqueue((offer.Targets[0].CallTakerId, offer.CallId));
            }
        }

        // Every position takes a call, so the next ones wait (national positions get theirs by overflow).
        while (onCall.Count < Positions - 10) AnswerAll(centre.Enqueue(Caller()));
        clock.Advance(TimeSpan.FromSeconds(11));
        AnswerAll(centre.Tick());
        if (onCall.Count < Positions) throw new InvalidOperationException($"only {onCall.Count} of {Positions} positions took a call");

        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < Waiting; i++) centre.Enqueue(Caller());
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(centre);

        var pick = new List<long>(rounds);
        var answer = new List<long>(rounds);
        var arrival = new List<long>(rounds);
        var tick = new List<long>(rounds);
        for (var round = 0; round < warmUp + rounds; round++)
        {
            var measured = round >= warmUp;
            clock.Advance(TimeSpan.FromMilliseconds(50));
            var (position, call) = onCall.Dequeue();
            centre.CallEnded(call);

            var started = Stopwatch.GetTimestamp();
            var offered = centre.Resume(position).Decisions.OfType<OfferCall>().SingleOrDefault();
            var took = Stopwatch.GetTimestamp() - started;
            if (measured) pick.Add(took);
            if (offered is null) throw new InvalidOperationException($"round {round}: {position} was offered nothing with {centre.WaitingCount} callers waiting");

            started = Stopwatch.GetTimestamp();
            centre.OfferAnswered(offered.CallId, position);
            took = Stopwatch.GetTimestamp() - started;
            if (measured) answer.Add(took);
            onCall.Enqueue((position, offered.CallId));

            var request = Caller();
            started = Stopwatch.GetTimestamp();
            var arrived = centre.Enqueue(request);
            took = Stopwatch.GetTimestamp() - started;
            if (measured) arrival.Add(took);
            AnswerAll(arrived);

            started = Stopwatch.GetTimestamp();
            var ticked = centre.Tick();
            took = Stopwatch.GetTimestamp() - started;
            if (measured) tick.Add(took);
            AnswerAll(ticked);
        }

        return new Result(rounds, Figures.Of(pick), Figures.Of(answer), Figures.Of(arrival), Figures.Of(tick), (after - before) / (double)Waiting, centre.WaitingCount);
    }
}
