using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Routing.Asterisk.Ami;
using Routing.Calls;
using Routing.Engine.Hosting;

namespace Routing.Engine.Calls;

/// <summary>
/// While the engine lives it keeps pushing back every waiting caller's TIMEOUT(absolute); if the
/// engine dies nobody does, the timeout fires, Stasis() returns and the dialplan's `T` extension
/// sends the caller to the fallback (main/pbx.c). Once a caller talks to an agency the timeout is
/// cleared (agency or call-taker), so a live conversation survives an engine crash. Kept out of the call's state machine:
/// it only reads the calls' state from the registry.
/// <para>
/// Over AMI <c>Setvar</c>, not ARI: ARI's <c>POST /channels/{id}/variable</c> is a command on the channel's
/// Stasis control queue (res/stasis/control.c stasis_app_send_command), and a prompt being played holds that
/// queue until it ends (res_stasis_playback.c play_uri runs ast_control_streamfile on it). A 13 s service menu
/// would hold the re-arm past a 6 s timeout and move a caller the engine is serving to the fallback. AMI's
/// action_setvar writes the function from the manager's thread at once.
/// </para>
/// </summary>
internal sealed class DeadMansSwitch(
    CallRegistry registry,
    AmiOptions ami,
    IOptions<AsteriskOptions> options,
    TimeProvider time,
    ILoggerFactory loggerFactory) : BackgroundService
{
    public const string Variable = "TIMEOUT(absolute)";

    private readonly ILogger logger = loggerFactory.CreateLogger<DeadMansSwitch>();

    /// <summary>How often the registry is looked at: a caller who starts talking is disarmed within this, so an
    /// engine killed a moment after the bridge leaves the conversation alone.</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    /// <summary>Callers whose timeout was cleared: cleared once, not on every tick.</summary>
    private readonly HashSet<string> disarmed = new(StringComparer.Ordinal);

    /// <summary>When each waiting caller's timeout was last pushed back: again once half the window has gone.</summary>
    private readonly Dictionary<string, long> armedAt = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var window = options.Value.DeadMansSwitch;
        if (window <= TimeSpan.Zero)
        {
            return;
        }

        // A connection of its own that asks Asterisk for no events: it only sends Setvar.
        await using var connection = new AmiConnection(ami.ActionsOnly(), loggerFactory.CreateLogger<AmiConnection>(), time);
        connection.Start();
        using var tick = new PeriodicTimer(Tick < window / 2 ? Tick : window / 2, time);
        try
        {
            do
            {
                await RearmOnceAsync(connection, window, stoppingToken).ConfigureAwait(false);
            }
            while (await tick.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RearmOnceAsync(AmiConnection connection, TimeSpan window, CancellationToken cancellationToken)
    {
        var seconds = (int)window.TotalSeconds;
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
                if (!disarmed.Contains(channelId) && await TrySetAsync(connection, channelId, 0, cancellationToken).ConfigureAwait(false))
                {
                    disarmed.Add(channelId);
                }
            }
            else
            {
                disarmed.Remove(channelId);
                var now = time.GetTimestamp();
                if (armedAt.TryGetValue(channelId, out var at) && time.GetElapsedTime(at, now) < window / 2)
                {
                    continue;
                }

                if (await TrySetAsync(connection, channelId, seconds, cancellationToken).ConfigureAwait(false))
                {
                    armedAt[channelId] = now;
                }
            }
        }

        disarmed.IntersectWith(live);
        foreach (var gone in armedAt.Keys.Where(id => !live.Contains(id) || disarmed.Contains(id)).ToList())
        {
            armedAt.Remove(gone);
        }
    }

    private async Task<bool> TrySetAsync(AmiConnection connection, string channelId, int seconds, CancellationToken cancellationToken)
    {
        try
        {
            var action = AmiAction.Setvar(channelId, Variable, seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var response = await connection.SendAsync(action, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccess)
            {
                return true;
            }

            // "No such channel": the caller left since the registry was read; nothing to arm.
            if (!string.Equals(response.Text, "No such channel", StringComparison.OrdinalIgnoreCase))
            {
                LogMessages.DeadMansSwitchFailed(logger, channelId, seconds, $"{response.Status}: {response.Text}");
            }

            return false;
        }
        catch (AmiException ex)
        {
            LogMessages.DeadMansSwitchFailed(logger, channelId, seconds, ex.Message);
            return false;
        }
    }
}
