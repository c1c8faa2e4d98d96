using Routing.Calls.Routing;
using Routing.Simulator;

namespace Routing.Engine.Simulation;

/// <summary>How the simulated agencies behave in <c>make run</c>: most answer within seconds, but
/// some trunks are busy, silent or broken, so secondary trunks, overflow and the national
/// fallback are exercised all the time, as on a bad day.</summary>
public static class SimulatedTrunks
{
    public static Dictionary<string, TrunkBehavior> For(RoutingOptions routing, int seed)
    {
        var random = new Random(seed);
        var behaviors = new Dictionary<string, TrunkBehavior>(StringComparer.OrdinalIgnoreCase);
        foreach (var trunk in AllTrunks(routing))
        {
            behaviors[Resource(trunk.Endpoint)] = TrunkBehavior.Answers(TimeSpan.FromMilliseconds(random.Next(800, 4000)));
        }

        Set(behaviors, "police-almaty-1", TrunkBehavior.Busy(TimeSpan.FromMilliseconds(300)));
        Set(behaviors, "fire-astana-1", TrunkBehavior.NoAnswer);
        Set(behaviors, "ambulance-shymkent-1", TrunkBehavior.Fails(TimeSpan.FromMilliseconds(500)));
        Set(behaviors, "ambulance-shymkent-2", TrunkBehavior.Busy(TimeSpan.FromMilliseconds(400)));
        return behaviors;
    }

    public static IEnumerable<TrunkOptions> AllTrunks(RoutingOptions routing) =>
        routing.Regions.Values.SelectMany(r => r.Trunks.Values.SelectMany(t => t))
            .Concat(routing.NationalFallback.Values.SelectMany(t => t))
            .Concat(routing.Operators.Trunks);

    /// <summary><c>PJSIP/fire-almaty-1</c> → <c>fire-almaty-1</c>.</summary>
    public static string Resource(string endpoint) => endpoint[(endpoint.IndexOf('/', StringComparison.Ordinal) + 1)..];

    private static void Set(Dictionary<string, TrunkBehavior> behaviors, string resource, TrunkBehavior behavior)
    {
        if (behaviors.ContainsKey(resource))
        {
            behaviors[resource] = behavior;
        }
    }
}
