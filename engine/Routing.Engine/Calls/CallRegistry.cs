using System.Collections.Concurrent;
using Routing.Calls;

namespace Routing.Engine.Calls;

/// <summary>
/// Which live call owns which Asterisk channel. The caller's channel is mapped when the call is
/// created; each agency leg is mapped when the call plans it, before it is dialled, so the leg's
/// first event can never arrive at an engine that does not know it.
/// </summary>
public sealed class CallRegistry
{
    private readonly ConcurrentDictionary<string, Call> byChannel = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Call> byCallId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, List<string>> channelsOfCall = new(StringComparer.Ordinal);

    public int Count => byCallId.Count;

    public IReadOnlyCollection<Call> Active => byCallId.Values.ToArray();

    /// <summary>Adds a call before it starts; returns false if its caller channel already has a call
    /// (a duplicate StasisStart, e.g. replayed after a reconnect).</summary>
    public bool TryAdd(Call call)
    {
        if (!byChannel.TryAdd(call.CallerChannelId, call))
        {
            return false;
        }

        byCallId[call.CallId] = call;
        channelsOfCall[call.CallId] = [call.CallerChannelId];
        call.LegChannelPlanned += legChannelId => MapLeg(call, legChannelId);
        _ = call.Completion.ContinueWith(_ => Remove(call), TaskScheduler.Default);
        return true;
    }

    public bool TryGetByChannel(string channelId, out Call call) => byChannel.TryGetValue(channelId, out call!);

    public bool TryGetByCallId(string callId, out Call call) => byCallId.TryGetValue(callId, out call!);

    /// <summary>True when some live call owns the channel (as caller or as one of its legs).</summary>
    public bool Owns(string channelId) => byChannel.ContainsKey(channelId);

    public IReadOnlyList<string> ChannelsOf(Call call)
    {
        if (!channelsOfCall.TryGetValue(call.CallId, out var list))
        {
            return [];
        }

        lock (list)
        {
            return list.ToArray();
        }
    }

    /// <summary>Gives a channel the engine originated for someone else (a call-taker's offered leg) to
    /// <paramref name="call"/>, so the channel's events reach that call from now on.</summary>
    public void Adopt(Call call, string channelId) => MapLeg(call, channelId);

    private void MapLeg(Call call, string legChannelId)
    {
        byChannel[legChannelId] = call;
        if (channelsOfCall.TryGetValue(call.CallId, out var list))
        {
            lock (list)
            {
                list.Add(legChannelId);
            }
        }
    }

    private void Remove(Call call)
    {
        byCallId.TryRemove(call.CallId, out _);
        if (channelsOfCall.TryRemove(call.CallId, out var list))
        {
            lock (list)
            {
                foreach (var channelId in list)
                {
                    byChannel.TryRemove(new KeyValuePair<string, Call>(channelId, call));
                }
            }
        }
    }
}
