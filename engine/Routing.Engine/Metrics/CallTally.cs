using System.Collections.Concurrent;
using Routing.Calls;

namespace Routing.Engine.Metrics;

/// <summary>Outcomes per agency since this engine started, for the console dashboard and the admin API
/// (Prometheus keeps the same numbers, but reading them back from its registry is awkward).</summary>
public sealed class CallTally
{
    private readonly ConcurrentDictionary<(string Agency, CallOutcome Outcome), long> counts = new();

    public void Record(string agency, CallOutcome outcome) =>
        counts.AddOrUpdate((agency, outcome), 1, static (_, n) => n + 1);

    public IReadOnlyDictionary<(string Agency, CallOutcome Outcome), long> Snapshot() =>
        counts.ToDictionary(kv => kv.Key, kv => kv.Value);

    public long Total => counts.Values.Sum();
}
