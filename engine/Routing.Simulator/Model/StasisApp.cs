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
    /// <summary>endpoint: subscriptions ("PJSIP/calltaker-1", or "__AST_ENDPOINT_ALL_TOPIC") with their interest count:
    /// each POST adds one, each DELETE takes one, and the forward goes at zero (res/stasis/app.c).</summary>
    public OrderedDictionary<string, int> EndpointInterest { get; } = new(StringComparer.Ordinal);

    /// <summary>PUT /applications/{app}/eventFilter. Empty allowed = everything; disallowed wins over allowed.</summary>
    public HashSet<string> EventsAllowed { get; } = new(StringComparer.Ordinal);
    public HashSet<string> EventsDisallowed { get; } = new(StringComparer.Ordinal);

    public bool Wants(ReadOnlySpan<char> eventType) =>
        !EventsDisallowed.GetAlternateLookup<ReadOnlySpan<char>>().Contains(eventType)
        && (EventsAllowed.Count == 0 || EventsAllowed.GetAlternateLookup<ReadOnlySpan<char>>().Contains(eventType));

    public bool Filters => EventsAllowed.Count > 0 || EventsDisallowed.Count > 0;
    public bool Active => Sockets.Count > 0;
    /// <summary>app_is_finished: no forwards left (channels, bridges, endpoints). deviceState subscriptions do not count.</summary>
    public bool HoldsNothing => ChannelIds.Count == 0 && BridgeIds.Count == 0 && EndpointInterest.Count == 0;
}
