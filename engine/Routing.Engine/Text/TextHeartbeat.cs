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
/// once until it works again and counted.
/// </summary>
internal sealed class TextHeartbeat(IAriRestClient ari, TextOptions options, TimeProvider time, ILogger<TextHeartbeat> log) : BackgroundService
{
    public const string Variable = "ROUTING112_TEXT_HEARTBEAT";

    private static readonly Counter Failures = Prometheus.Metrics.CreateCounter(
        "routing_text_heartbeat_failures_total", "Text heartbeat writes to Asterisk that failed (the dialplan's text fallback takes over once it is stale).");

    private int _failedInARow;

    /// <summary>One write; false when Asterisk did not take it.</summary>
    public async Task<bool> BeatAsync(CancellationToken cancellationToken)
    {
        try
        {
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
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.HeartbeatInterval, time);
        do
        {
            await BeatAsync(stoppingToken).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
