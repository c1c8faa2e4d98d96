using Microsoft.Extensions.Time.Testing;
using Routing.Calls.Centre;

namespace Routing.Calls.Tests.Centre;

/// <summary>
/// A small centre on a fake clock: almaty (longest-idle, ct-1 kk+ru, ct-2 ru, ct-3 en+ru), shymkent
/// (ring-all, ct-4 ru, ct-5 kk), national (ct-6 kk+ru+en) as the end of every chain, and police (pol-1)
/// for SOS buttons. Every input goes through <see cref="Do"/>, which keeps all decisions for assertions.
/// </summary>
public sealed class CentreHarness
{
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 6, 8, 0, 0, TimeSpan.Zero));
    public CallCentre Centre { get; }
    public List<CentreDecision> All { get; } = [];

    public CentreHarness(Action<CentreOptions>? configure = null)
    {
        var options = Options();
        configure?.Invoke(options);
        Centre = new CallCentre(options, Clock);
    }

    public static CentreOptions Options() => new()
    {
        DefaultGroup = "national",
        OfferTimeout = TimeSpan.FromSeconds(15),
        WrapUp = TimeSpan.FromSeconds(10),
        LanguageWait = TimeSpan.FromSeconds(20),
        AnnounceInterval = TimeSpan.FromSeconds(30),
        Groups =
        {
            ["almaty"] = new() { Regions = ["almaty"], MaxWait = TimeSpan.FromSeconds(30), OverflowTo = "national" },
            ["shymkent"] = new() { Regions = ["shymkent"], Strategy = DistributionStrategy.RingAll, MaxWait = TimeSpan.FromSeconds(30), OverflowTo = "national" },
            ["national"] = new() { MaxWait = TimeSpan.FromSeconds(60) },
            ["police"] = new() { MaxWait = TimeSpan.FromSeconds(20), OverflowTo = "national" },
        },
        Positions =
        {
            ["ct-1"] = new() { Endpoint = "PJSIP/ct-1", Group = "almaty", Languages = ["kk", "ru"] },
            ["ct-2"] = new() { Endpoint = "PJSIP/ct-2", Group = "almaty", Languages = ["ru"] },
            ["ct-3"] = new() { Endpoint = "PJSIP/ct-3", Group = "almaty", Languages = ["en", "ru"] },
            ["ct-4"] = new() { Endpoint = "PJSIP/ct-4", Group = "shymkent", Languages = ["ru"] },
            ["ct-5"] = new() { Endpoint = "PJSIP/ct-5", Group = "shymkent", Languages = ["kk"] },
            ["ct-6"] = new() { Endpoint = "PJSIP/ct-6", Group = "national", Languages = ["kk", "ru", "en"] },
            ["pol-1"] = new() { Endpoint = "PJSIP/pol-1", Group = "police", Languages = ["kk", "ru"] },
        },
        Entries =
        {
            [CallEntry.Emergency112] = new() { Mode = EntryMode.HumanFirst, Priority = CallPriority.Emergency },
            [CallEntry.Sos] = new() { Priority = CallPriority.Critical, Group = "police" },
        },
    };

    /// <summary>Runs one input and keeps its decisions; returns them (empty when refused).</summary>
    public CentreResult Do(Func<CallCentre, CentreResult> input)
    {
        var result = input(Centre);
        All.AddRange(result.Decisions);
        return result;
    }

    public IReadOnlyList<CentreDecision> Ok(Func<CallCentre, CentreResult> input)
    {
        var result = Do(input);
        Assert.True(result.Accepted, result.Refusal?.Message);
        return result.Decisions;
    }

    /// <summary>Device reachable and logged in, in the order given (so the first has been idle longest).</summary>
    public void Staff(params string[] ids)
    {
        foreach (var id in ids)
        {
            Ok(c => c.DeviceReachability(id, true));
            Ok(c => c.Login(id));
            Clock.Advance(TimeSpan.FromSeconds(1));
        }
    }

    public IReadOnlyList<CentreDecision> Enqueue(string callId, string region = "almaty", string? language = null, CallEntry entry = CallEntry.Emergency112, bool lifeInDanger = false) =>
        Ok(c => c.Enqueue(new QueueRequest(callId, entry, region, language, lifeInDanger)));

    public IReadOnlyList<CentreDecision> Advance(TimeSpan by)
    {
        Clock.Advance(by);
        return Ok(c => c.Tick());
    }

    public IReadOnlyList<CentreDecision> Seconds(int seconds) => Advance(TimeSpan.FromSeconds(seconds));

    public CallTakerState StateOf(string id) => Centre.CallTaker(id)!.State;

    /// <summary>Offers in the decisions as "call→position" (ring-all gives one per target).</summary>
    public static string[] Offers(IEnumerable<CentreDecision> decisions) =>
        decisions.OfType<OfferCall>().SelectMany(o => o.Targets.Select(t => $"{o.CallId}→{t.CallTakerId}")).ToArray();

    public string[] WaitingOrder() => Centre.Snapshot().Waiting.Select(w => w.CallId).ToArray();
}
