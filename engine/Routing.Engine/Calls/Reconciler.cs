using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Routing.Asterisk.Ari;
using Routing.Calls;
using Routing.Calls.Ports;
using Routing.Engine.Hosting;
using Routing.Engine.Metrics;

namespace Routing.Engine.Calls;

/// <summary>
/// Brings the engine's view back in line with Asterisk's. Asterisk does not replay events missed
/// while the websocket was down (asterisk-traces/ari-websocket-drop.md), so after a reconnect, a
/// lost-events marker, and periodically, it asks Asterisk which channels and bridges our app holds:
/// calls whose channels vanished learn that they did; channels and bridges no live call owns are
/// released (agency legs hung up, bridges destroyed) or, for a caller nobody is serving (e.g.
/// after an engine restart), handed to the dialplan fallback so the call still goes through.
/// Nothing in a pass may stop the engine: every failure is logged and the pass goes on.
/// </summary>
internal sealed partial class Reconciler(
    IAriRestClient ari,
    CallRegistry registry,
    RestartRecovery recovery,
    AdoptedConversations adopted,
    EventStreamBarrier barrier,
    AriOptions ariOptions,
    IOptions<AsteriskOptions> asteriskOptions,
    TimeProvider time,
    ILogger<Reconciler> logger,
    Centre.OfferLegs? offers = null,
    Callbacks.CallbackCalls? callbacks = null,
    LeftoverBridges? leftovers = null) : BackgroundService
{
    /// <summary>How soon an orphan seen once is looked at again.</summary>
    private static readonly TimeSpan OrphanConfirmDelay = TimeSpan.FromSeconds(2);

    /// <summary>How long a pass waits for the event stream to catch up before it defers hand-overs to the next pass.</summary>
    private static readonly TimeSpan BarrierLimit = TimeSpan.FromSeconds(5);

    private readonly Channel<string> requests = Channel.CreateBounded<string>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>Set by a request after a real gap (reconnect, lost events) and consumed by the next
    /// pass, so coalesced requests never lose it; only such passes re-arm the calls' waits.</summary>
    private int gapPending;

    /// <summary>Orphans seen on earlier passes, with when each was first seen: only a channel orphaned on
    /// consecutive passes, and still unowned once the event stream is proven drained (<see cref="EventStreamBarrier"/>),
    /// is touched — so a call whose StasisStart is still on its way (a busy box, the first call's JIT) is never
    /// mistaken for one, however short Asterisk:SweepInterval is.</summary>
    private Dictionary<string, long> previousOrphans = new(StringComparer.Ordinal);

    public int Passes { get; private set; }

    /// <summary>Asks for a pass soon; requests made while one is pending coalesce into it.</summary>
    /// <param name="afterGap">Events may have been lost (reconnect, full buffer): calls re-check their waits.</param>
    public void RequestReconcile(string reason, bool afterGap = false)
    {
        if (afterGap)
        {
            Interlocked.Exchange(ref gapPending, 1);
        }

        if (requests.Writer.TryWrite(reason))
        {
            LogMessages.ReconcileRequested(logger, reason);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var sweep = new PeriodicTimer(asteriskOptions.Value.SweepInterval, time);
        var periodic = Task.Run(async () =>
        {
            while (await sweep.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                RequestReconcile("periodic sweep");
            }
        }, stoppingToken);

        try
        {
            await foreach (var reason in requests.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                await ReconcileOnceAsync(reason, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await periodic.ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
    }

    internal async Task ReconcileOnceAsync(string reason, CancellationToken cancellationToken)
    {
        var afterGap = Interlocked.Exchange(ref gapPending, 0) == 1;
        try
        {
            // What we believe, taken BEFORE asking Asterisk: a call or leg created after this
            // instant is not judged against an answer that predates it.
            var believed = registry.Active.Select(call => (Call: call, Channels: registry.ChannelsOf(call), Leg: call.Snapshot.CurrentLegChannelId)).ToList();

            var application = await GetApplicationOrNullAsync(cancellationToken).ConfigureAwait(false);
            var held = new HashSet<string>(application?.ChannelIds ?? [], StringComparer.Ordinal);

            // A bridge of ours with two or more channels and no live call is a conversation an
            // earlier run set up (caller and agency talking): it goes on without us, untouched.
            // It is adopted, so that it reacts to its channels' hang-ups like a live call.
            var talking = new HashSet<string>(StringComparer.Ordinal);
            var endedBridges = new HashSet<string>(StringComparer.Ordinal);
            foreach (var bridgeId in application?.BridgeIds ?? [])
            {
                await Guarded("bridge " + bridgeId, () => SortOutUnownedBridgeAsync(bridgeId, talking, endedBridges, cancellationToken)).ConfigureAwait(false);
            }

            if (application is not null)
            {
                endedBridges.UnionWith(adopted.BridgeIds.Except(application.BridgeIds ?? []));
            }

            foreach (var bridgeId in leftovers?.Snapshot() ?? [])
            {
                await Guarded("leftover bridge " + bridgeId, () => DestroyLeftoverBridgeAsync(bridgeId, cancellationToken)).ConfigureAwait(false);
            }

            await Guarded("adopted conversations", () => adopted.EndUnseenAsync(endedBridges, talking, cancellationToken)).ConfigureAwait(false);

            await Guarded("restart recovery", () => recovery.CloseOpenCallsAsync(held, talking, cancellationToken)).ConfigureAwait(false);

            var vanished = 0;
            foreach (var (call, channels, leg) in believed)
            {
                vanished += await TellCallWhatVanishedAsync(call, channels, leg, held, afterGap, cancellationToken).ConfigureAwait(false);
            }

            var now = time.GetTimestamp();
            // A position's phone ringing for a waiting call is the centre's, a call back's legs are the call back's: not orphans.
            var orphans = held.Where(id => !registry.Owns(id) && !talking.Contains(id) && offers?.Owns(id) != true && callbacks?.Owns(id) != true)
                .ToDictionary(id => id, id => previousOrphans.TryGetValue(id, out var since) ? since : now, StringComparer.Ordinal);
            // Seen unowned on two passes in a row, then proven still unowned after the event stream has drained:
            // the drain is what tells a late StasisStart from an orphan, not how long ago it was first seen.
            var candidates = orphans.Where(o => previousOrphans.ContainsKey(o.Key)).Select(o => o.Key).ToList();
            var confirmed = await ConfirmOrphansAsync(candidates, cancellationToken).ConfigureAwait(false);
            previousOrphans = orphans;
            foreach (var channelId in confirmed)
            {
                await Guarded("orphan " + channelId, () => ReleaseOrphanChannelAsync(channelId, cancellationToken)).ConfigureAwait(false);
            }

            if (orphans.Count > confirmed.Count)
            {
                // Look again soon rather than at the next sweep: a caller nobody serves is waiting.
                _ = ConfirmOrphansSoonAsync(cancellationToken);
            }

            Passes++;
            LogMessages.Reconciled(logger, reason, held.Count, vanished, confirmed.Count);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // The pass is abandoned, never the engine: the next trigger tries again.
            LogMessages.ReconcileFailed(logger, reason, ex.Message);
        }
    }

    /// <summary>
    /// A channel in the listing whose StasisStart the engine has not handled yet is not an orphan: its
    /// arrival is on its way (Asterisk lists a channel before it publishes its StasisStart, and under
    /// load the event can trail the listing by seconds). Only once every event Asterisk sent before now
    /// has been handled is a still-unowned channel really nobody's; if that cannot be proven, nothing
    /// is handed over in this pass — a caller waits a little longer rather than lose the engine.
    /// </summary>
    private async Task<IReadOnlyList<string>> ConfirmOrphansAsync(IReadOnlyList<string> candidates, CancellationToken cancellationToken)
    {
        if (candidates.Count == 0)
        {
            return [];
        }

        var failure = await barrier.PassAsync(BarrierLimit, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            LogMessages.OrphanHandOverDeferred(logger, candidates.Count, failure);
            return [];
        }

        return candidates.Where(id => !registry.Owns(id)).ToList();
    }

    /// <summary>
    /// A caller our app no longer holds has left Stasis (StasisEnd, or the channel is gone) while we
    /// were not looking: the call is told it hung up. Legs are not judged by the listing: a leg's id
    /// is announced before its originate is sent, so a listing can race it, and a leg that ended
    /// unseen is bounded by the call's own ring timer anyway. After a gap, a current leg that is up
    /// in Stasis answered while its StasisStart was lost: the call is told it answered, so the agency
    /// is not left in silence.
    /// </summary>
    private async Task<int> TellCallWhatVanishedAsync(
        Call call, IReadOnlyList<string> channels, string? leg, HashSet<string> held, bool afterGap, CancellationToken cancellationToken)
    {
        var vanished = 0;
        if (!held.Contains(call.CallerChannelId))
        {
            var lookup = await GetChannelOrGoneAsync(call.CallerChannelId, cancellationToken).ConfigureAwait(false);
            if (lookup.IsGone || lookup.Channel is not null)
            {
                vanished++;
                call.Post(new CallInput.CallerHungUp(null));
            }
        }

        if (afterGap)
        {
            if (leg is not null && channels.Contains(leg) && held.Contains(leg) && await IsUpInStasisAsync(leg, cancellationToken).ConfigureAwait(false))
            {
                call.Post(new CallInput.LegAnswered(leg));
            }

            call.Post(new CallInput.Reconciled());
        }

        return vanished;
    }

    private async Task<bool> IsUpInStasisAsync(string channelId, CancellationToken cancellationToken)
    {
        var lookup = await GetChannelOrGoneAsync(channelId, cancellationToken).ConfigureAwait(false);
        return lookup.Channel is { } channel
            && string.Equals(channel.State, "Up", StringComparison.OrdinalIgnoreCase)
            && string.Equals(channel.Dialplan?.AppName, "Stasis", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Null channel and IsGone false means "could not tell" (an error): then nothing is posted.</summary>
    private async Task<ChannelLookup> GetChannelOrGoneAsync(string channelId, CancellationToken cancellationToken)
    {
        try
        {
            return new ChannelLookup(await ari.GetChannelAsync(channelId, cancellationToken).ConfigureAwait(false), false);
        }
        catch (AriException ex) when (ex.IsNotFound)
        {
            return new ChannelLookup(null, true);
        }
        catch (Exception ex) when (ex is AriException or AriTimeoutException or AriUnavailableException)
        {
            LogMessages.ReconcileItemFailed(logger, "channel " + channelId, ex.Message);
            return new ChannelLookup(null, false);
        }
    }

    private async Task ConfirmOrphansSoonAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(OrphanConfirmDelay, time, cancellationToken).ConfigureAwait(false);
            RequestReconcile("confirming orphan channels");
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Asterisk destroys an app that has no websocket and holds nothing (404): then it holds no channel.</summary>
    private async Task<AriApplication?> GetApplicationOrNullAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await ari.GetApplicationAsync(ariOptions.Application, cancellationToken).ConfigureAwait(false);
        }
        catch (AriException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    private async Task ReleaseOrphanChannelAsync(string channelId, CancellationToken cancellationToken)
    {
        try
        {
            var channel = await ari.GetChannelAsync(channelId, cancellationToken).ConfigureAwait(false);
            var inStasis = string.Equals(channel.Dialplan?.AppName, "Stasis", StringComparison.OrdinalIgnoreCase);
            var appData = channel.Dialplan?.AppData ?? "";

            // Our agency legs are either still ringing (an originated channel, not yet in Stasis:
            // AppDial2 in the trace) or in Stasis with args "dialed,<agency>,<caller>".
            if (!inStasis || appData.Contains(",dialed,", StringComparison.Ordinal))
            {
                await ari.HangupAsync(channelId, "normal", cancellationToken).ConfigureAwait(false);
                EngineMetrics.Swept.WithLabels("leg", "hangup").Inc();
                LogMessages.OrphanLegReleased(logger, channelId);
                return;
            }

            // A caller in our app that no call serves (the engine restarted, or never saw its
            // StasisStart): never hang up on a person — hand the channel to the dialplan's fallback
            // label (which does not depend on the variable being set). Write before act, as a call's own
            // failover: the hand-over is on the ledger before any request goes to Asterisk, its result after.
            await HandOverOrphanCallerAsync(channel, cancellationToken).ConfigureAwait(false);
        }
        catch (AriException ex) when (ex.IsNotFound || ex.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // Gone, or already left our app, since the listing: nothing left to release.
        }
    }

    private async Task HandOverOrphanCallerAsync(AriChannel channel, CancellationToken cancellationToken)
    {
        var handOver = await recovery.HandOverStartingAsync(channel, cancellationToken).ConfigureAwait(false);
        var step = "setVariable ROUTING112_FAILOVER";
        try
        {
            try
            {
                await ari.SetVariableAsync(channel.Id, "ROUTING112_FAILOVER", "1", cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is AriException { IsNotFound: false } or AriTimeoutException or AriUnavailableException)
            {
                // Only the dialplan's view is less precise without it: the fallback label does not read it.
                LogMessages.ReconcileItemFailed(logger, $"orphan {channel.Id} {step}", ex.Message);
            }

            step = "continue";
            await ari.ContinueAsync(channel.Id, label: AriTelephony.FallbackLabel, ct: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AriException or AriTimeoutException or AriUnavailableException)
        {
            // Not done: on record, and the call stays open (the next pass tries again while the caller is in our app).
            await recovery.HandOverFailedAsync(handOver, step, ex.Message, cancellationToken).ConfigureAwait(false);
            EngineMetrics.Swept.WithLabels("caller", "failover-failed").Inc();
            LogMessages.OrphanHandOverFailed(logger, channel.Id, handOver.CallId, step, ex.Message);
            return;
        }

        EngineMetrics.Swept.WithLabels("caller", "failover").Inc();
        LogMessages.OrphanCallerFailedOver(logger, channel.Id);
        await recovery.HandOverDoneAsync(handOver, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Leaves live calls' bridges and unowned conversations alone; destroys an unowned
    /// bridge with at most one channel left (its channel is then released as an orphan).</summary>
    private async Task SortOutUnownedBridgeAsync(string bridgeId, HashSet<string> talking, HashSet<string> endedBridges, CancellationToken cancellationToken)
    {
        try
        {
            var bridge = await ari.GetBridgeAsync(bridgeId, cancellationToken).ConfigureAwait(false);
            var channels = bridge.Channels ?? [];
            if (channels.Any(registry.Owns) || registry.TryGetByCallId(bridgeId, out _) || callbacks?.OwnsBridge(bridgeId) == true)
            {
                return;
            }

            if (channels.Count >= 2)
            {
                talking.UnionWith(channels);
                await adopted.AdoptAsync(bridgeId, channels, cancellationToken).ConfigureAwait(false);
                return;
            }

            endedBridges.Add(bridgeId);
            await ari.DestroyBridgeAsync(bridgeId, cancellationToken).ConfigureAwait(false);
            EngineMetrics.Swept.WithLabels("bridge", "destroy").Inc();
            LogMessages.OrphanBridgeDestroyed(logger, bridgeId);
        }
        catch (AriException ex) when (ex.IsNotFound)
        {
            endedBridges.Add(bridgeId);
        }
    }

    /// <summary>A bridge whose destroy got no verdict: gone (destroyed now or already) leaves the list; another
    /// failure keeps it for the next pass. A live call's bridge is never touched.</summary>
    private async Task DestroyLeftoverBridgeAsync(string bridgeId, CancellationToken cancellationToken)
    {
        if (registry.TryGetByCallId(bridgeId, out _) || callbacks?.OwnsBridge(bridgeId) == true)
        {
            return;
        }

        try
        {
            await ari.DestroyBridgeAsync(bridgeId, cancellationToken).ConfigureAwait(false);
            leftovers!.Remove(bridgeId);
            EngineMetrics.Swept.WithLabels("bridge", "destroy").Inc();
            LogMessages.OrphanBridgeDestroyed(logger, bridgeId);
        }
        catch (AriException ex) when (ex.IsNotFound)
        {
            leftovers!.Remove(bridgeId);
        }
    }

    /// <summary>One item's failure (an Asterisk error, a database error) never ends the pass.</summary>
    private async Task Guarded(string item, Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex)
        {
            LogMessages.ReconcileItemFailed(logger, item, ex.Message);
        }
    }

    private readonly record struct ChannelLookup(AriChannel? Channel, bool IsGone);
}
