using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Routing.Calls.Callbacks;
using Routing.Engine.Metrics;

namespace Routing.Engine.Callbacks;

/// <summary>
/// Every <see cref="CallbackOptions.PollInterval"/>: re-reads the open tasks, publishes their count,
/// the oldest one's age and the overdue alarm; with <see cref="CallbackOptions.AutoAttempt"/> it
/// has the dialer attempt each task open longer than <see cref="CallbackOptions.AttemptAfter"/> (the dialer
/// records the attempt before dialling and the outcome after; a task no one could be found for stays open). A failing round is logged and the next one runs.
/// </summary>
internal sealed class CallbackScheduler(
    CallbackDesk desk, CallbackOptions options, TimeProvider time, ILogger<CallbackScheduler> logger, ICallbackDialer? dialer = null) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var errors = options.Validate(dialer is not null).ToList();
        if (errors.Count > 0)
        {
            throw new Hosting.ConfigurationException(errors);
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.PollInterval, time);
        do
        {
            try
            {
                await RoundAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogMessages.CallbackRoundFailed(logger, ex);
            }
        }
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    /// <summary>One pass: metrics, then automatic attempts. Public to tests through the host.</summary>
    internal async Task RoundAsync(CancellationToken cancellationToken)
    {
        var open = await desk.ListAsync(openOnly: true, cancellationToken).ConfigureAwait(false);
        Publish(open);
        if (!options.AutoAttempt || dialer is null)
        {
            return;
        }

        var now = time.GetUtcNow();
        foreach (var task in open.Where(t => t.State == CallbackState.Open && now - t.OpenedAt >= options.AttemptAfter))
        {
            // The dialer records the attempt (once it has a call-taker to ring) and its result itself.
            var result = await dialer.DialAsync(task, cancellationToken).ConfigureAwait(false);
            if (!result.Reached)
            {
                LogMessages.CallbackNotReached(logger, task.CallId, result.Note);
            }
        }

        Publish(await desk.ListAsync(openOnly: true, cancellationToken).ConfigureAwait(false));
    }

    private void Publish(IReadOnlyList<CallbackTask> open)
    {
        var now = time.GetUtcNow();
        var waiting = open.Where(t => t.State == CallbackState.Open).ToList();
        EngineMetrics.CallbacksOpen.Set(open.Count(t => t.State != CallbackState.Reached));
        EngineMetrics.CallbackOldestOpenSeconds.Set(waiting.Count == 0 ? 0 : (now - waiting.Min(t => t.OpenedAt)).TotalSeconds);
        var overdue = waiting.Count(t => now - t.OpenedAt > options.OverdueAfter);
        EngineMetrics.CallbacksOverdue.Set(overdue);
        if (overdue > 0)
        {
            LogMessages.CallbacksOverdue(logger, overdue, options.OverdueAfter);
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
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
