namespace Routing.Asterisk.Ari;

/// <summary>
/// An endpoint (endpoints.json model Endpoint), e.g. PJSIP/calltaker-1. State is "online" while a PJSIP endpoint has a
/// usable contact (registered and reachable, or static), "offline" before any REGISTER and after Expires: 0 or a failed
/// qualify, "unknown" when the technology cannot tell. ChannelIds lists the channels on it right now.
/// </summary>
public sealed record AriEndpoint(string Technology, string Resource, string? State = null, IReadOnlyList<string>? ChannelIds = null)
{
    /// <summary>"PJSIP/calltaker-1", the id event sources and endpoint_ids use.</summary>
    public string Id => Technology + "/" + Resource;

    public bool IsOnline => State == "online";
}

/// <summary>PeerStatusChange's peer: peer_status Reachable / Unreachable (PJSIP), with optional details.</summary>
public sealed record AriPeer(string PeerStatus, string? Cause = null, string? Address = null, string? Port = null, string? Time = null);

/// <summary>ContactStatusChange's contact_info: contact_status NonQualified (registered, qualify off), Reachable, Unreachable,
/// Removed (unregistered or expired) or Unknown; roundtrip_usec is a string ("0").</summary>
public sealed record AriContactInfo(string Uri, string ContactStatus, string Aor, string? RoundtripUsec = null);

/// <summary>Event source URIs for <see cref="IAriRestClient.SubscribeAsync"/> (res_stasis schemes, case-sensitive).</summary>
public static class AriEventSource
{
    /// <summary>"endpoint:PJSIP/calltaker-1": EndpointStateChange, PeerStatusChange, ContactStatusChange and the channel
    /// events of its channels (a second copy of those the app already gets for its own channels).</summary>
    public static string Endpoint(string technology, string resource) => "endpoint:" + Part(technology, nameof(technology)) + "/" + Part(resource, nameof(resource));

    /// <summary>"deviceState:PJSIP/calltaker-1": DeviceStateChanged (NOT_INUSE, INUSE, RINGING, ONHOLD, UNAVAILABLE ...).</summary>
    public static string DeviceState(string device) => "deviceState:" + Part(device, nameof(device));

    public static string Channel(string channelId) => "channel:" + Part(channelId, nameof(channelId));

    public static string Bridge(string bridgeId) => "bridge:" + Part(bridgeId, nameof(bridgeId));

    private static string Part(string value, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, name);
        return value;
    }
}
