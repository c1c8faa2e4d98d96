using Routing.Simulator.Ari;

namespace Routing.Simulator.Model;

/// <summary>
/// A Stasis application. Created when its first websocket connects; inactive (events dropped, never queued) while it
/// has no websocket; destroyed when it has no websocket and holds nothing — as the websocket-drop trace shows.
/// </summary>
internal sealed class StasisApp
{
    public required string Name { get; init; }
    public List<EventSocket> Sockets { get; } = new();
    public HashSet<string> ChannelIds { get; } = new(StringComparer.Ordinal);
    public HashSet<string> BridgeIds { get; } = new(StringComparer.Ordinal);
    public bool SubscribeAll { get; set; }
    public bool Active => Sockets.Count > 0;
    public bool HoldsNothing => ChannelIds.Count == 0 && BridgeIds.Count == 0;
}
