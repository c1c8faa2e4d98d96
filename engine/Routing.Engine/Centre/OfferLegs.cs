using System.Collections.Concurrent;

namespace Routing.Engine.Centre;

/// <summary>A position's device rung for a call: the channel we originated, until it is answered (then the
/// call owns it), fails, or is withdrawn and gone.</summary>
internal sealed class OfferLeg(string channelId, string callId, string position, string legId)
{
    public string ChannelId { get; } = channelId;
    public string CallId { get; } = callId;
    public string Position { get; } = position;
    public string LegId { get; } = legId;

    /// <summary>The originate request; hang-ups wait for it, so a withdraw never overtakes its dial.</summary>
    public Task Dialing { get; set; } = Task.CompletedTask;

    /// <summary>The centre no longer wants it (answered elsewhere, caller gone, timed out): whatever it
    /// reports from now on is not a failure of the position.</summary>
    public bool Withdrawn { get; set; }

    /// <summary>Console mode: the phone answers by itself, the console accepts.</summary>
    public bool AcceptInConsole { get; init; }

    /// <summary>Console mode: the phone has answered (auto-answer) and waits, silent, for the console's accept.</summary>
    public bool DeviceUp { get; set; }

    /// <summary>Console mode: the call-taker accepted before the phone had answered.</summary>
    public bool Accepted { get; set; }
}

/// <summary>
/// The offer legs the centre has out, by channel id. Written only by the centre's loop; read by the ARI
/// dispatcher (on its own thread) to route an offer leg's events to the centre instead of to a call.
/// </summary>
internal sealed class OfferLegs
{
    private readonly ConcurrentDictionary<string, OfferLeg> byChannel = new(StringComparer.Ordinal);

    public int Count => byChannel.Count;

    public bool Owns(string channelId) => byChannel.ContainsKey(channelId);

    public void Add(OfferLeg leg) => byChannel[leg.ChannelId] = leg;

    public OfferLeg? Get(string channelId) => byChannel.GetValueOrDefault(channelId);

    public OfferLeg? Find(string callId, string position) =>
        byChannel.Values.FirstOrDefault(l => !l.Withdrawn && l.CallId == callId && string.Equals(l.Position, position, StringComparison.OrdinalIgnoreCase));

    public bool Remove(string channelId) => byChannel.TryRemove(channelId, out _);
}
