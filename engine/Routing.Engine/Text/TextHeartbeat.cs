using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;
using Routing.Asterisk.Ari;
using Routing.Calls.Text;

namespace Routing.Engine.Text;

/// <summary>
/// Tells the dialplan the engine is there to read texts: writes its clock (Unix seconds) to the global
/// <see cref="Variable"/> every <see cref="TextOptions.HeartbeatInterval"/> (ARI <c>POST /asterisk/variable</c>).
/// <c>[messages-app]</c> in extensions.conf forwards a text to the fallback desk and answers its sender itself when the
/// value is older than <c>TEXT_HEARTBEAT_STALE</c>, so a text is never left unread while the engine is away — and
/// that fallback needs nothing from the engine. Not a call step: nothing goes to the ledger; a failed write is logged
/// once until it works again and counted. At a clean stop it writes <see cref="Away"/> first, before any service stops
/// (<see cref="IHostedLifecycleService.StoppingAsync"/>): the dialplan takes new texts at once instead of for
/// <c>TEXT_HEARTBEAT_STALE</c> seconds handing them to an app that is going away. After a crash only the staleness tells,
/// which is why the interval is 1 s and the dialplan's limit 3 s.
/// </summary>
internal sealed class TextHeartbeat(IAriRestClient ari, TextOptions options, TimeProvider time, ILogger<TextHeartbeat> log) : BackgroundService, IHostedLifecycleService
{
    public const string Variable = "ROUTING112_TEXT_HEARTBEAT";

    /// <summary>What a clean stop leaves: a time long past, so the dialplan's fallback takes every text from now on.</summary>
    public const string Away = "0";

    /// <summary>How long a stop waits for Asterisk to take <see cref="Away"/>.</summary>
    public static readonly TimeSpan AwayLimit = TimeSpan.FromSeconds(2);

    /// <summary>One write at a time, so that no beat already on its way can land after <see cref="Away"/>.</summary>
    private readonly SemaphoreSlim _writing = new(1, 1);

    private volatile bool _away;

    private static readonly Counter Failures = Prometheus.Metrics.CreateCounter(
        "routing_text_heartbeat_failures_total", "Text heartbeat writes to Asterisk that failed (the dialplan's text fallback takes over once it is stale).");

    private int _failedInARow;

    /// <summary>One write; false when Asterisk did not take it.</summary>
    public async Task<bool> BeatAsync(CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_away) return false;
            await ari.SetGlobalVariableAsync(Variable, time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
            if (_failedInARow > 0) LogMessages.TextHeartbeatRecovered(log, Variable, _failedInARow);
            _failedInARow = 0;
            return true;
        }
        // Anything but the stop itself: a failed heartbeat must never end the service, and with it the host.
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            Failures.Inc();
            if (_failedInARow++ == 0) LogMessages.TextHeartbeatFailed(log, Variable, ex.Message);
            return false;
        }
        finally
        {
            _writing.Release();
        }
    }

    /// <summary>The engine is going away: no more beats, and <see cref="Away"/> written (bounded by <see cref="AwayLimit"/>;
    /// a failure is logged, and the heartbeat then goes stale on its own).</summary>
    public async Task GoAwayAsync(CancellationToken cancellationToken)
    {
        _away = true;
        using var bound = new CancellationTokenSource(AwayLimit, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, bound.Token);
        try
        {
            await _writing.WaitAsync(linked.Token).ConfigureAwait(false);
            try
            {
                await ari.SetGlobalVariableAsync(Variable, Away, linked.Token).ConfigureAwait(false);
                LogMessages.TextHeartbeatAway(log, Variable);
            }
            finally
            {
                _writing.Release();
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogMessages.TextHeartbeatAwayFailed(log, Variable, ex.Message);
        }
    }

    Task IHostedLifecycleService.StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task IHostedLifecycleService.StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task IHostedLifecycleService.StoppingAsync(CancellationToken cancellationToken) => GoAwayAsync(cancellationToken);

    Task IHostedLifecycleService.StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.HeartbeatInterval, time);
        do
        {
            if (_away) return;
            await BeatAsync(stoppingToken).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
