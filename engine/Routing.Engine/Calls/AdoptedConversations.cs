using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Routing.Asterisk.Ari;
using Routing.Calls.Ports;
using Routing.Calls.Routing;
using Routing.Calls;
using Routing.Ledger;
using Routing.Engine.Metrics;

namespace Routing.Engine.Calls;

/// <summary>
/// Conversations an earlier run bridged (caller and agency in a bridge of ours that no live call
/// owns) are adopted by the reconciler, so that they react to hang-ups like any other call: when
/// either side leaves, the other is hung up at once (not at the next sweep) and the call is closed
/// as Completed with a note saying who hung up, when, and that the engine saw it. A conversation
/// whose end went unseen (events lost) is ended the same way by the next pass that finds it gone.
/// </summary>
internal sealed class AdoptedConversations(
    IAriRestClient ari,
    LedgerReader ledger,
    ICallJournal journal,
    TimeProvider time,
    ILogger<AdoptedConversations> logger)
{
    private readonly ConcurrentDictionary<string, Conversation> byChannel = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Conversation> byBridge = new(StringComparer.Ordinal);

    /// <summary>Conversations adopted and not yet closed.</summary>
    public int Count => byBridge.Count;

    /// <summary>True while the channel belongs to an adopted conversation whose end is not yet on record:
    /// restart recovery must not close that call a second time.</summary>
    public bool Holds(string channelId) => byChannel.ContainsKey(channelId);

    /// <summary>Adopts the conversation in <paramref name="bridgeId"/> (idempotent); finds which of its
    /// channels is the caller of an open call of the ledger, so its end can be recorded.</summary>
    public async Task AdoptAsync(string bridgeId, IReadOnlyList<string> channels, CancellationToken cancellationToken)
    {
        if (byBridge.ContainsKey(bridgeId))
        {
            return;
        }

        string? callId = null;
        string? callerChannelId = null;
        foreach (var channelId in channels)
        {
            var known = await ledger.FindByCallerChannelAsync(channelId, cancellationToken).ConfigureAwait(false);
            if (known.Count > 0)
            {
                (callId, callerChannelId) = (known[0].Call.CallId, channelId);
                break;
            }
        }

        var conversation = new Conversation(bridgeId, channels.ToArray(), callId, callerChannelId);
        if (!byBridge.TryAdd(bridgeId, conversation))
        {
            return;
        }

        foreach (var channelId in channels)
        {
            byChannel[channelId] = conversation;
        }

        LogMessages.ConversationAdopted(logger, bridgeId, string.Join(", ", channels), callId ?? "none on record");
    }

    /// <summary>Handles an event about an adopted channel; false when the channel is not adopted.</summary>
    public bool TryHandle(AriEvent ariEvent, string channelId, CancellationToken cancellationToken)
    {
        if (!byChannel.TryGetValue(channelId, out var conversation))
        {
            return false;
        }

        if (ariEvent is ChannelHangupRequest or StasisEnd or ChannelDestroyed)
        {
            _ = EndAsync(conversation, channelId, "hung up", cancellationToken);
        }

        return true;
    }

    /// <summary>Ends the adopted conversations whose bridge a pass found gone or down to one channel
    /// (their end went unseen, e.g. events were lost). A bridge the pass could not look at is not among them.</summary>
    public async Task EndUnseenAsync(IReadOnlySet<string> endedBridges, IReadOnlySet<string> talking, CancellationToken cancellationToken)
    {
        foreach (var conversation in byBridge.Values.Where(c => endedBridges.Contains(c.BridgeId)))
        {
            var gone = conversation.Channels.FirstOrDefault(id => !talking.Contains(id)) ?? conversation.Channels[0];
            await EndAsync(conversation, gone, "was found gone by a reconcile pass", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Bridge ids of the adopted conversations, for a pass to check against Asterisk's listing.</summary>
    public IReadOnlyCollection<string> BridgeIds => byBridge.Keys.ToArray();

    private async Task EndAsync(Conversation conversation, string leftChannelId, string how, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref conversation.Ending, 1) == 1)
        {
            return;
        }

        try
        {
            var now = time.GetUtcNow();
            var side = leftChannelId == conversation.CallerChannelId ? "caller" : "agency";
            if (conversation.CallId is { } callId)
            {
                // Written before the other side is released: the record never lags what was done.
                var note = $"adopted after a restart; the {side} {how} while the engine was back, at {now:O}; the other side was hung up at once";
                await journal.AppendAsync(new CallEventRecord(callId, null, now, "recovered", note), cancellationToken).ConfigureAwait(false);
            }

            foreach (var other in conversation.Channels.Where(id => id != leftChannelId))
            {
                await HangUpQuietlyAsync(other, cancellationToken).ConfigureAwait(false);
            }

            await DestroyQuietlyAsync(conversation.BridgeId, cancellationToken).ConfigureAwait(false);
            if (conversation.CallId is { } closedId)
            {
                await journal.AppendAsync(new CallEventRecord(closedId, null, time.GetUtcNow(), LedgerEventKinds.Outcome, nameof(CallOutcome.Completed)), cancellationToken).ConfigureAwait(false);
            }

            EngineMetrics.Swept.WithLabels("adopted", "ended").Inc();
            LogMessages.AdoptedConversationEnded(logger, conversation.BridgeId, side, how, conversation.CallId ?? "none on record");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogMessages.ReconcileItemFailed(logger, "adopted conversation " + conversation.BridgeId, ex.Message);
        }
        finally
        {
            // Only now may restart recovery look at the call again (it is closed, or its closing failed and the sweep retries).
            byBridge.TryRemove(conversation.BridgeId, out _);
            foreach (var channelId in conversation.Channels)
            {
                byChannel.TryRemove(new KeyValuePair<string, Conversation>(channelId, conversation));
            }
        }
    }

    private async Task HangUpQuietlyAsync(string channelId, CancellationToken cancellationToken)
    {
        try
        {
            await ari.HangupAsync(channelId, "normal", cancellationToken).ConfigureAwait(false);
        }
        catch (AriException ex) when (ex.IsNotFound)
        {
            // Both sides hung up at about the same time.
        }
    }

    private async Task DestroyQuietlyAsync(string bridgeId, CancellationToken cancellationToken)
    {
        try
        {
            await ari.DestroyBridgeAsync(bridgeId, cancellationToken).ConfigureAwait(false);
        }
        catch (AriException ex) when (ex.IsNotFound)
        {
        }
    }

    private sealed class Conversation(string bridgeId, IReadOnlyList<string> channels, string? callId, string? callerChannelId)
    {
        public string BridgeId { get; } = bridgeId;

        public IReadOnlyList<string> Channels { get; } = channels;

        public string? CallId { get; } = callId;

        public string? CallerChannelId { get; } = callerChannelId;

        public int Ending;
    }
}
