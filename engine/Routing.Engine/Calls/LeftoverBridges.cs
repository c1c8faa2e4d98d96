using System.Collections.Concurrent;

namespace Routing.Engine.Calls;

/// <summary>
/// Bridges of ours whose destroy got no verdict (timed out, Asterisk unreachable, a 5xx): the reconciler
/// tries them again on each pass. It cannot find them otherwise: an empty bridge no channel of ours ever
/// entered is not among the app's <c>bridge_ids</c>, and at 150 calls/s on a real Asterisk four such
/// bridges stayed until Asterisk restarted. Bounded, so a PBX that never answers cannot grow it forever.
/// </summary>
internal sealed class LeftoverBridges
{
    /// <summary>More than any overload leaves behind in a sweep interval; past it the oldest are not kept.</summary>
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, byte> bridges = new(StringComparer.Ordinal);

    public int Count => bridges.Count;

    public void Add(string bridgeId)
    {
        if (bridges.Count < Capacity)
        {
            bridges.TryAdd(bridgeId, 0);
        }
    }

    public void Remove(string bridgeId) => bridges.TryRemove(bridgeId, out _);

    public IReadOnlyList<string> Snapshot() => bridges.Keys.ToList();
}
