using Microsoft.Extensions.Hosting;
using Routing.Asterisk.Ari;

namespace Routing.Engine.Hosting;

/// <summary>Keeps the ARI event websocket connected for the life of the host.</summary>
internal sealed class AriEventStreamService(AriEventStream stream) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => stream.RunAsync(stoppingToken);
}
