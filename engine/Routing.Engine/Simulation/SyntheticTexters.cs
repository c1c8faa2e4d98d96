using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Routing.Calls.Routing;
using Routing.Calls.Text;
using Routing.Engine.Hosting;
using Routing.Simulator;

namespace Routing.Engine.Simulation;

/// <summary>
/// The police app's text callers of <c>make run</c>: about one for every ten synthetic calls, each writing one or two
/// messages a few seconds apart through a configured text gateway (SIP MESSAGE into the simulated Asterisk, which
/// raises TextMessageReceived to the engine's subscribed app). Stops with the synthetic call stream.
/// </summary>
internal sealed class SyntheticTexters(
    SimulatedAsterisk asterisk,
    SyntheticCallGenerator calls,
    TextOptions text,
    IOptions<SimulationOptions> simulation,
    IOptions<RoutingOptions> routing,
    TimeProvider time,
    ILogger<SyntheticTexters> logger) : BackgroundService
{
    /// <summary>One text caller per this many synthetic calls.</summary>
    private const int CallsPerTexter = 10;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = simulation.Value;
        var mix = new SyntheticTextMix(text, routing.Value, options.Seed + 13);
        if (options.CallsPerSecond <= 0 || !mix.CanWrite) return;

        var random = new Random(options.Seed + 17);
        using var ticker = new PeriodicTimer(TimeSpan.FromSeconds(CallsPerTexter / options.CallsPerSecond), time);
        try
        {
            while (!calls.StreamEnded.IsCompleted && await ticker.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (calls.Placed == 0) continue; // the engine is not connected yet: the call stream waits for it
                _ = WriteAsync(mix.Next(), random.Next(3, 9), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task WriteAsync(SyntheticTexter texter, int secondsBetween, CancellationToken cancellationToken)
    {
        try
        {
            for (var i = 0; i < texter.Messages.Count; i++)
            {
                if (i > 0) await Task.Delay(TimeSpan.FromSeconds(secondsBetween), time, cancellationToken).ConfigureAwait(false);
                var delivered = asterisk.SendTextMessage(texter.GatewayEndpoint, texter.From, texter.Messages[i]);
                if (delivered != TextDelivery.ToApp) LogMessages.SyntheticTextNotDelivered(logger, texter.GatewayEndpoint, delivered.ToString());
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
