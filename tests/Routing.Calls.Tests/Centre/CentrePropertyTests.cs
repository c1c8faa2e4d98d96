using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Routing.Calls.Centre;

namespace Routing.Calls.Tests.Centre;

/// <summary>Whatever callers, devices and call-takers do, in whatever order: no waiting call is ever lost or
/// duplicated, and nobody unreachable is ever ringing.</summary>
public class CentrePropertyTests
{
    public sealed record Step(string Kind, int N)
    {
        public override string ToString() => $"{Kind}({N})";
    }

    private static readonly string[] Kinds =
    [
        "enqueue", "enqueue", "enqueue", "answer", "answer", "fail", "callEnded", "left", "requeue", "deviceLeft",
        "login", "login", "logout", "pause", "resume", "reachable", "reachable", "unreachable", "advance", "advance", "tick",
    ];

    private static readonly string[] Positions = ["ct-1", "ct-2", "ct-3", "ct-4", "ct-5", "ct-6", "pol-1"];
    private static readonly string[] Regions = ["almaty", "shymkent", "astana", "nowhere"];
    private static readonly string?[] Languages = [null, "kk", "ru", "en", "de"];

    public static Arbitrary<Step[]> Scenarios() =>
        Gen.Elements(Kinds).SelectMany(kind => Gen.Choose(0, 1000).Select(n => new Step(kind, n)))
            .ArrayOf()
            .ToArbitrary();

    [Property(MaxTest = 300, Arbitrary = [typeof(CentrePropertyTests)])]
    public bool No_waiting_call_is_ever_lost_or_duplicated_whatever_the_event_sequence(Step[] steps)
    {
        var h = new CentreHarness(o => o.WrapUp = TimeSpan.FromSeconds(5));
        var live = new HashSet<string>();
        var calls = 0;
        foreach (var step in steps.Take(120))
        {
            var snapshot = h.Centre.Snapshot();
            var position = Positions[step.N % Positions.Length];
            var anyCall = live.Count == 0 ? "none" : live.ElementAt(step.N % live.Count);
            var offered = snapshot.CallTakers.Where(p => p.State == CallTakerState.Offered).ToArray();
            var onCall = snapshot.CallTakers.Where(p => p.State == CallTakerState.OnCall).ToArray();
            string? endedHere = null;
            var result = step.Kind switch
            {
                "enqueue" => h.Do(c => c.Enqueue(new QueueRequest($"call-{++calls}", step.N % 9 == 0 ? CallEntry.Sos : CallEntry.Emergency112,
                    Regions[step.N % Regions.Length], Languages[step.N % Languages.Length], step.N % 7 == 0))),
                "answer" when offered.Length > 0 => h.Do(c => c.OfferAnswered(offered[step.N % offered.Length].CallId!, offered[step.N % offered.Length].Id)),
                "answer" => h.Do(c => c.OfferAnswered(anyCall, position)),
                "fail" when offered.Length > 0 => h.Do(c => c.OfferFailed(offered[step.N % offered.Length].CallId!, offered[step.N % offered.Length].Id, (OfferFailure)(step.N % 3))),
                "fail" => h.Do(c => c.OfferFailed(anyCall, position, OfferFailure.NoAnswer)),
                "callEnded" => h.Do(c => c.CallEnded(endedHere = anyCall)),
                "left" when onCall.Length > 0 => Left(onCall[step.N % onCall.Length]),
                "left" => h.Do(c => c.CallTakerLeft(position)),
                "requeue" when onCall.Length > 0 => h.Do(c => c.Requeue(onCall[step.N % onCall.Length].Id, onCall[step.N % onCall.Length].CallId!)),
                "requeue" => h.Do(c => c.Requeue(position, anyCall)),
                "deviceLeft" when onCall.Length > 0 => h.Do(c => c.CallTakerDeviceLeft(onCall[step.N % onCall.Length].Id, onCall[step.N % onCall.Length].CallId!,
                    step.N % 3 == 0 ? null : TimeSpan.FromSeconds(step.N % 4))),
                "deviceLeft" => h.Do(c => c.CallTakerDeviceLeft(position, anyCall, null)),
                "login" => h.Do(c => c.Login(position)),
                "logout" => h.Do(c => c.Logout(position)),
                "pause" => h.Do(c => c.Pause(position, "break")),
                "resume" => h.Do(c => c.Resume(position)),
                "reachable" => h.Do(c => c.DeviceReachability(position, true)),
                "unreachable" => h.Do(c => c.DeviceReachability(position, false)),
                "advance" => h.Do(c =>
                {
                    h.Clock.Advance(TimeSpan.FromSeconds(step.N % 40));
                    return c.Tick();
                }),
                _ => h.Do(c => c.Tick()),
            };
            CentreResult Left(CallTakerView p)
            {
                endedHere = p.CallId;
                return h.Do(c => c.CallTakerLeft(p.Id));
            }

            if (step.Kind == "enqueue") live.Add($"call-{calls}");

            var after = h.Centre.Snapshot();
            var waiting = after.Waiting.Select(w => w.CallId).ToList();
            var working = after.CallTakers.Where(p => p.State == CallTakerState.OnCall).Select(p => p.CallId!).ToList();
            var present = waiting.Concat(working).ToList();
            if (present.Count != present.Distinct().Count()) return Fail("a call is in two places", step, present);
            if (present.Any(id => !live.Contains(id))) return Fail("a finished call came back", step, present);

            var finished = result.Decisions.OfType<HandToFallback>().Select(d => d.CallId)
                .Concat(result.Decisions.OfType<CallLeftQueue>().Select(d => d.CallId))
                .Concat(result.Accepted && endedHere is not null ? [endedHere] : [])
                .ToHashSet();
            foreach (var id in live.ToList())
            {
                if (present.Contains(id)) continue;
                if (!finished.Contains(id)) return Fail($"{id} was lost", step, present);
                live.Remove(id);
            }

            foreach (var p in after.CallTakers.Where(p => p.State == CallTakerState.Offered))
            {
                if (!p.Reachable) return Fail($"{p.Id} rings while unreachable", step, present);
                if (after.Waiting.SingleOrDefault(w => w.CallId == p.CallId) is not { } w || !w.OfferedTo.Contains(p.Id))
                    return Fail($"{p.Id} rings for {p.CallId}, which is not waiting for it", step, present);
            }
            if (h.Centre.WaitingCount != waiting.Count) return Fail("WaitingCount disagrees with the snapshot", step, present);
        }
        return true;
    }

    private static bool Fail(string what, Step step, IEnumerable<string> present) =>
        throw new Xunit.Sdk.XunitException($"after {step}: {what}; present: {string.Join(",", present)}");
}
