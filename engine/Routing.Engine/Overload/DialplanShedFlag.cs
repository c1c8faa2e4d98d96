using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Routing.Asterisk.Ami;
using Routing.Engine.Calls;

namespace Routing.Engine.Overload;

/// <summary>
/// While the engine sheds, Asterisk sheds too: the global <c>ROUTING112_SHED_UNTIL</c> holds a Unix time a few
/// seconds ahead, and every Stasis extension of dialplans/extensions.conf sends a new caller whose arrival is
/// before it straight to its fallback with STASISSTATUS=SHED, without Stasis(). A caller shed by the engine
/// costs Asterisk a StasisStart, its events and a <c>continue</c>; past what the box carries that is the cost
/// that left callers unanswered (load-tests/README.md, 2x overload). The calls shed there are recorded from
/// AMI like the fallback's (<see cref="FallbackCallTracker"/>, outcome Shed).
/// <para>
/// The guard is asked every second here as well as at each StasisStart, since callers shed by the dialplan
/// never ask it: without the tick it would never see the calm and never recover. The flag is a time, not a
/// switch, so an engine that dies while shedding holds callers off for <see cref="OverloadOptions.DialplanFlagHold"/>
/// at most (then Stasis() fails at once and the fallback routes them anyway). Over AMI, not ARI: AMI's Setvar
/// is answered by the manager thread at once, while ARI requests queue behind the load being shed.
/// </para>
/// </summary>
internal sealed class DialplanShedFlag(OverloadGuard guard, OverloadOptions options, AmiOptions ami, TimeProvider time, ILoggerFactory loggerFactory)
    : BackgroundService
{
    public const string Variable = FallbackCallTracker.ShedFlagVariable;

    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    private readonly ILogger logger = loggerFactory.CreateLogger<DialplanShedFlag>();

    /// <summary>Until when the flag was last set; null while it is down.</summary>
    private DateTimeOffset? raisedUntil;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A connection of its own that asks Asterisk for no events: it only sends Setvar.
        await using var connection = new AmiConnection(ami.ActionsOnly(), loggerFactory.CreateLogger<AmiConnection>(), time);
        connection.Start();
        using var tick = new PeriodicTimer(Tick, time);
        try
        {
            do
            {
                await OnTickAsync(connection, stoppingToken).ConfigureAwait(false);
            }
            while (await tick.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        if (raisedUntil is not null)
        {
            // A clean stop: callers enter Stasis again, where a stopped app fails them to the fallback at once.
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(2), time);
            await SetAsync(connection, "", "cleared", bounded.Token).ConfigureAwait(false);
        }
    }

    private async Task OnTickAsync(AmiConnection connection, CancellationToken cancellationToken)
    {
        var admission = guard.Admit(out var transition);
        OverloadTransitions.Report(logger, transition, admission);
        var now = time.GetUtcNow();
        if (guard.Shedding)
        {
            // Re-set once half the hold has gone, so that a late tick never lets it lapse while shedding goes on.
            if (raisedUntil is { } until && until - now > options.DialplanFlagHold / 2)
            {
                return;
            }

            var next = now + options.DialplanFlagHold;
            var value = next.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            if (await SetAsync(connection, value, "raised", cancellationToken).ConfigureAwait(false))
            {
                if (raisedUntil is null)
                {
                    LogMessages.DialplanShedRaised(logger, Variable, next);
                }

                raisedUntil = next;
            }
        }
        else if (raisedUntil is not null && await SetAsync(connection, "", "cleared", cancellationToken).ConfigureAwait(false))
        {
            raisedUntil = null;
            LogMessages.DialplanShedCleared(logger, Variable);
        }
    }

    private async Task<bool> SetAsync(AmiConnection connection, string value, string what, CancellationToken cancellationToken)
    {
        try
        {
            var response = await connection.SendAsync(AmiAction.SetGlobal(Variable, value), cancellationToken).ConfigureAwait(false);
            if (response.IsSuccess)
            {
                return true;
            }

            LogMessages.DialplanShedFailed(logger, Variable, what, $"{response.Status}: {response.Text}");
            return false;
        }
        catch (AmiException ex)
        {
            LogMessages.DialplanShedFailed(logger, Variable, what, ex.Message);
            return false;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested || what == "cleared")
        {
            LogMessages.DialplanShedFailed(logger, Variable, what, ex.Message);
            return false;
        }
    }
}
