using Routing.Asterisk.Ari;

namespace Routing.Engine.Centre;

/// <summary>Pure mapping from ARI events to the centre's inputs: call-taker device reachability, and the
/// progress of the legs that ring positions. Apart from the dispatcher so it can be tested with traces.</summary>
internal static class CentreEventTranslator
{
    /// <summary>Device states in which a PJSIP device cannot be rung: not registered (UNAVAILABLE) or not a
    /// device at all (INVALID). Anything else (NOT_INUSE, INUSE, RINGING, BUSY, ONHOLD, UNKNOWN) means a
    /// registered phone; whether it is free is the centre's business, not the device state's.</summary>
    public static bool IsReachable(string? deviceState) =>
        !string.Equals(deviceState, "UNAVAILABLE", StringComparison.OrdinalIgnoreCase)
        && !string.Equals(deviceState, "INVALID", StringComparison.OrdinalIgnoreCase);

    public static CentreInput.DeviceState? DeviceState(AriEvent ariEvent) => ariEvent switch
    {
        DeviceStateChanged changed when changed.DeviceState is { Name.Length: > 0 } state =>
            new CentreInput.DeviceState(state.Name, IsReachable(state.State), $"DeviceStateChanged {state.State}"),
        // Only to an app subscribed to the endpoint (not ours by default, see CallTakerDevices); "unknown"
        // says nothing about reachability, so it is not an input.
        EndpointStateChange changed when changed.Endpoint.State is "online" or "offline" =>
            new CentreInput.DeviceState(changed.Endpoint.Id, changed.Endpoint.IsOnline, $"EndpointStateChange {changed.Endpoint.State}"),
        _ => null,
    };

    /// <summary>An offer leg answers with its StasisStart and ends with ChannelDestroyed; the rest (ringing,
    /// hang-up requests, the duplicates a stale endpoint subscription brings, trace T2b) changes nothing.</summary>
    public static CentreInput? OfferLeg(AriEvent ariEvent, string channelId) => ariEvent switch
    {
        StasisStart => new CentreInput.OfferLegAnswered(channelId),
        ChannelDestroyed destroyed => new CentreInput.OfferLegEnded(channelId, destroyed.Cause, destroyed.CauseTxt ?? ""),
        _ => null,
    };
}
