using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Routing.Engine.Recordings;

/// <summary>Runs the <see cref="RecordingIndexer"/> at start and every <see cref="RecordingsOptions.IndexInterval"/>.</summary>
internal sealed class RecordingIndexService(RecordingIndexer indexer, RecordingsOptions options, TimeProvider time, ILogger<RecordingIndexService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.IndexInterval, time);
        do
        {
            try
            {
                await indexer.IndexAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogMessages.RecordingIndexFailed(logger, options.Directory, ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
