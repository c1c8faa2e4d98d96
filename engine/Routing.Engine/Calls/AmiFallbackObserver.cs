using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Routing.Asterisk.Ami;
using Routing.Calls.Ports;
using Routing.Engine.Metrics;

namespace Routing.Engine.Calls;

/// <summary>
/// Watches the whole PBX over AMI and records, in the ledger, calls the dialplan had to route
/// without the engine (our Stasis app unavailable). ARI cannot see them: they never enter Stasis.
/// </summary>
internal sealed class AmiFallbackObserver(
    AmiOptions options,
    ICallJournal journal,
    TimeProvider time,
    ILoggerFactory loggerFactory) : BackgroundService
{
    private readonly ILogger logger = loggerFactory.CreateLogger<AmiFallbackObserver>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var ami = new AmiConnection(options, loggerFactory.CreateLogger<AmiConnection>(), time);
        ami.Start();
        var tracker = new FallbackCallTracker(time);
        try
        {
            await foreach (var item in ami.Events.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                switch (item)
                {
                    case AmiMessage message:
                        foreach (var record in tracker.Observe(message))
                        {
                            await WriteAsync(record, stoppingToken).ConfigureAwait(false);
                        }

                        break;
                    case AmiConnected connected:
                        EngineMetrics.AmiConnected.Set(1);
                        LogMessages.AmiConnected(logger, connected.Generation);
                        break;
                    case AmiDisconnected disconnected:
                        EngineMetrics.AmiConnected.Set(0);
                        LogMessages.AmiDisconnected(logger, disconnected.Reason);
                        break;
                    case AmiFrameRejected rejected:
                        LogMessages.AmiFrameRejected(logger, rejected.Position, rejected.Reason);
                        break;
                    case AmiEventsLost lost:
                        LogMessages.AmiEventsLost(logger, lost.Count);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task WriteAsync(FallbackRecord record, CancellationToken cancellationToken)
    {
        if (record.Call is { } call)
        {
            EngineMetrics.FallbackCalls.Inc();
            LogMessages.FallbackCallObserved(logger, call.CallerChannelId, call.DialedNumber);
            await journal.CallArrivedAsync(call, cancellationToken).ConfigureAwait(false);
        }

        if (record.Event is { } callEvent)
        {
            await journal.AppendAsync(callEvent, cancellationToken).ConfigureAwait(false);
        }
    }
}
