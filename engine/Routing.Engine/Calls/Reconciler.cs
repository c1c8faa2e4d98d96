using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Routing.Asterisk.Ari;
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
/// </summary>
internal sealed partial class Reconciler(
    IAriRestClient ari,
    CallRegistry registry,
    RestartRecovery recovery,
    AriOptions ariOptions,
    IOptions<AsteriskOptions> asteriskOptions,
    TimeProvider time,
    ILogger<Reconciler> logger) : BackgroundService
{
    private readonly Channel<string> requests = Channel.CreateBounded<string>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>Orphans seen on the previous pass: only a channel orphaned twice in a row is touched,
    /// so a call whose StasisStart is still in the mailbox is never mistaken for one.</summary>
    private HashSet<string> previousOrphans = new(StringComparer.Ordinal);

    /// <summary>Long enough for a StasisStart already in flight to have created its call.</summary>
    private static readonly TimeSpan OrphanConfirmDelay = TimeSpan.FromSeconds(2);

    public int Passes { get; private set; }

    /// <summary>Asks for a pass soon; requests made while one is pending coalesce into it.</summary>
    public void RequestReconcile(string reason)
    {
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
        try
        {
            var application = await GetApplicationOrNullAsync(cancellationToken).ConfigureAwait(false);
            var held = new HashSet<string>(application?.ChannelIds ?? [], StringComparer.Ordinal);

            // A bridge of ours with two or more channels and no live call is a conversation an
            // earlier run set up (caller and agency talking): it goes on without us, untouched.
            var talking = new HashSet<string>(StringComparer.Ordinal);
            foreach (var bridgeId in application?.BridgeIds ?? [])
            {
                await SortOutUnownedBridgeAsync(bridgeId, talking, cancellationToken).ConfigureAwait(false);
            }

            await recovery.CloseOpenCallsAsync(held, talking, cancellationToken).ConfigureAwait(false);

            var vanished = TellCallsWhatVanished(held);
            var orphans = held.Where(id => !registry.Owns(id) && !talking.Contains(id)).ToHashSet(StringComparer.Ordinal);
            var confirmed = orphans.Where(previousOrphans.Contains).ToList();
            previousOrphans = orphans;
            foreach (var channelId in confirmed)
            {
                await ReleaseOrphanChannelAsync(channelId, cancellationToken).ConfigureAwait(false);
            }

            if (orphans.Count > confirmed.Count)
            {
                // Look again soon rather than at the next sweep: a caller nobody serves is waiting.
                _ = ConfirmOrphansSoonAsync(cancellationToken);
            }

            Passes++;
            LogMessages.Reconciled(logger, reason, held.Count, vanished, confirmed.Count);
        }
        catch (Exception ex) when (ex is AriException or AriTimeoutException or AriUnavailableException)
        {
            LogMessages.ReconcileFailed(logger, reason, ex.Message);
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

    private int TellCallsWhatVanished(HashSet<string> held)
    {
        var vanished = 0;
        foreach (var call in registry.Active)
        {
            foreach (var channelId in registry.ChannelsOf(call))
            {
                if (held.Contains(channelId))
                {
                    continue;
                }

                if (channelId == call.CallerChannelId)
                {
                    vanished++;
                    call.Post(new CallInput.CallerHungUp(null));
                }
                else if (channelId == call.Snapshot.CurrentLegChannelId)
                {
                    vanished++;
                    call.Post(new CallInput.LegEnded(channelId, 0, "gone while the engine could not see it"));
                }
            }

            call.Post(new CallInput.Reconciled());
        }

        return vanished;
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

            // A caller in our app that no call serves (the engine restarted, or lost it): never hang
            // up on a person — hand the channel to the dialplan fallback, which dials an agency.
            await ari.SetVariableAsync(channelId, "ROUTING112_FAILOVER", "1", cancellationToken).ConfigureAwait(false);
            await ari.ContinueAsync(channelId, null, null, null, null, cancellationToken).ConfigureAwait(false);
            EngineMetrics.Swept.WithLabels("caller", "failover").Inc();
            LogMessages.OrphanCallerFailedOver(logger, channelId);
        }
        catch (AriException ex) when (ex.IsNotFound || ex.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // Gone, or already left our app, since the listing: nothing left to release.
        }
    }

    /// <summary>Leaves live calls' bridges and unowned conversations alone; destroys an unowned
    /// bridge with at most one channel left (its channel is then released as an orphan).</summary>
    private async Task SortOutUnownedBridgeAsync(string bridgeId, HashSet<string> talking, CancellationToken cancellationToken)
    {
        try
        {
            var bridge = await ari.GetBridgeAsync(bridgeId, cancellationToken).ConfigureAwait(false);
            var channels = bridge.Channels ?? [];
            if (channels.Any(registry.Owns) || registry.TryGetByCallId(bridgeId, out _))
            {
                return;
            }

            if (channels.Count >= 2)
            {
                talking.UnionWith(channels);
                return;
            }

            await ari.DestroyBridgeAsync(bridgeId, cancellationToken).ConfigureAwait(false);
            EngineMetrics.Swept.WithLabels("bridge", "destroy").Inc();
            LogMessages.OrphanBridgeDestroyed(logger, bridgeId);
        }
        catch (AriException ex) when (ex.IsNotFound)
        {
        }
    }
}
