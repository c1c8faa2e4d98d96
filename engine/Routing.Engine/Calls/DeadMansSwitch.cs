using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Routing.Asterisk.Ari;
using Routing.Calls;
using Routing.Engine.Hosting;

namespace Routing.Engine.Calls;

/// <summary>
/// While the engine lives it keeps pushing back every waiting caller's TIMEOUT(absolute); if the
/// engine dies nobody does, the timeout fires, Stasis() returns and the dialplan's `T` extension
/// sends the caller to the fallback (main/pbx.c). Once a caller talks to an agency the timeout is
/// cleared (agency or call-taker), so a live conversation survives an engine crash. Kept out of the call's state machine:
/// it only reads the calls' state from the registry.
/// </summary>
internal sealed class DeadMansSwitch(
    CallRegistry registry,
    IAriRestClient ari,
    IOptions<AsteriskOptions> options,
    TimeProvider time,
    ILogger<DeadMansSwitch> logger) : BackgroundService
{
    public const string Variable = "TIMEOUT(absolute)";

    /// <summary>Callers whose timeout was cleared: cleared once, not on every tick.</summary>
    private readonly HashSet<string> disarmed = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var window = options.Value.DeadMansSwitch;
        if (window <= TimeSpan.Zero)
        {
            return;
        }

        using var tick = new PeriodicTimer(window / 2, time);
        try
        {
            do
            {
                await RearmOnceAsync((int)window.TotalSeconds, stoppingToken).ConfigureAwait(false);
            }
            while (await tick.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    internal async Task RearmOnceAsync(int seconds, CancellationToken cancellationToken)
    {
        var live = new HashSet<string>(StringComparer.Ordinal);
        foreach (var call in registry.Active)
        {
            if (call.Completion.IsCompleted)
            {
                continue;
            }

            var channelId = call.CallerChannelId;
            live.Add(channelId);
            if (call.Snapshot.State is CallState.Connected or CallState.WithCallTaker)
            {
                if (!disarmed.Contains(channelId) && await TrySetAsync(channelId, 0, cancellationToken).ConfigureAwait(false))
                {
                    disarmed.Add(channelId);
                }
            }
            else
            {
                disarmed.Remove(channelId);
                await TrySetAsync(channelId, seconds, cancellationToken).ConfigureAwait(false);
            }
        }

        disarmed.IntersectWith(live);
    }

    private async Task<bool> TrySetAsync(string channelId, int seconds, CancellationToken cancellationToken)
    {
        try
        {
            await ari.SetVariableAsync(channelId, Variable, seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AriException ex) when (ex.IsNotFound || ex.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // The caller left (or left our app) since the registry was read: nothing to arm.
            return false;
        }
        catch (Exception ex) when (ex is AriException or AriTimeoutException or AriUnavailableException)
        {
            LogMessages.DeadMansSwitchFailed(logger, channelId, seconds, ex.Message);
            return false;
        }
    }
}
