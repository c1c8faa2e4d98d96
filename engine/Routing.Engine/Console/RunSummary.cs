using Routing.Engine.Calls;
using Routing.Engine.Metrics;

namespace Routing.Engine.Console;

/// <summary>One line about a run: live calls per state, ended calls per outcome. Printed every few
/// seconds when output is not a terminal, and once at the end of a bounded run.</summary>
internal static class RunSummary
{
    public static string Line(CallRegistry registry, CallTally tally)
    {
        var outcomes = tally.Snapshot()
            .GroupBy(kv => kv.Key.Outcome)
            .OrderBy(g => g.Key)
            .Select(g => $"{g.Key}={g.Sum(kv => kv.Value)}");
        var states = registry.Active.GroupBy(c => c.Snapshot.State).OrderBy(g => g.Key).Select(g => $"{g.Key}={g.Count()}");
        return $"live: {registry.Count} [{string.Join(' ', states)}] | ended: {tally.Total} [{string.Join(' ', outcomes)}]";
    }
}
