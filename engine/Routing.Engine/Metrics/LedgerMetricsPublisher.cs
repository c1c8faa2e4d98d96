using Microsoft.Extensions.Hosting;
using Routing.Ledger;

namespace Routing.Engine.Metrics;

/// <summary>Copies the journal's counters (<see cref="LedgerStats"/>) into gauges every second, so the
/// spool alarm and the backlog are on /metrics. Only reads counters: never touches a call.</summary>
internal sealed class LedgerMetricsPublisher(LedgerJournal journal, TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            Publish(journal.Stats);
        }
        while (await NextAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    public static void Publish(LedgerStats stats)
    {
        EngineMetrics.LedgerPending.Set(stats.Pending);
        EngineMetrics.LedgerLate.Set(stats.Late);
        EngineMetrics.LedgerSpooled.Set(stats.Spooled);
        EngineMetrics.LedgerSpoolBytes.Set(stats.SpoolBytes);
        EngineMetrics.LedgerSpoolFull.Set(stats.SpoolFull);
        EngineMetrics.LedgerReplayed.Set(stats.Replayed);
        EngineMetrics.LedgerFailures.Set(stats.Failures);
        EngineMetrics.LedgerChainHead.Set(stats.ChainHead);
    }

    private static async Task<bool> NextAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
