using Routing.Calls.Centre;
using Routing.Simulator;

namespace Routing.Engine.Simulation;

/// <summary>The call-takers' desk phones in <c>make run</c>: one per configured position, registered at
/// start, answering an offer after one to three seconds — except one that rings out, so the "no answer"
/// pause and the re-offer to the next call-taker are on screen too.</summary>
public static class SimulatedCallTakerPhones
{
    public static Dictionary<string, CallTakerBehavior> For(CentreOptions? centre, int seed)
    {
        var phones = new Dictionary<string, CallTakerBehavior>(StringComparer.OrdinalIgnoreCase);
        if (centre is null)
        {
            return phones;
        }

        var random = new Random(seed + 3);
        var positions = centre.Positions.Values.Select(p => p.Endpoint).Where(e => e.StartsWith("PJSIP/", StringComparison.OrdinalIgnoreCase)).ToList();
        for (var i = 0; i < positions.Count; i++)
        {
            var resource = SimulatedTrunks.Resource(positions[i]);
            phones[resource] = i == positions.Count - 1 && positions.Count > 2
                ? CallTakerBehavior.Ignores
                : CallTakerBehavior.AnswersAfter(TimeSpan.FromMilliseconds(random.Next(1000, 3000)));
        }

        return phones;
    }
}
