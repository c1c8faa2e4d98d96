using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Routing.Calls.Routing;
using Routing.Engine.Hosting;
using Routing.Simulator;

namespace Routing.Engine.Simulation;

/// <summary>Places synthetic calls on the simulated Asterisk at Simulation:CallsPerSecond,
/// bounded by Simulation:Duration and Simulation:MaxCalls.</summary>
internal sealed class SyntheticCallGenerator(
    SimulatedAsterisk asterisk,
    IOptions<SimulationOptions> simulation,
    IOptions<RoutingOptions> routing,
    TimeProvider time,
    ILogger<SyntheticCallGenerator> logger) : BackgroundService
{
    private readonly TaskCompletionSource<int> streamEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Placed { get; private set; }

    /// <summary>Completes with the number of calls placed once Simulation:Duration or
    /// Simulation:MaxCalls ended the stream; never when the stream runs until Ctrl+C.</summary>
    public Task<int> StreamEnded => streamEnded.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = simulation.Value;
        if (options.CallsPerSecond <= 0)
        {
            return;
        }

        // Give the engine's websocket a moment to connect, or the first calls would (rightly) take
        // the dialplan fallback.
        await WaitForAppAsync(stoppingToken).ConfigureAwait(false);

        var mix = new SyntheticCallMix(routing.Value, options.Seed);
        var started = time.GetTimestamp();
        using var ticker = new PeriodicTimer(TimeSpan.FromSeconds(1 / options.CallsPerSecond), time);
        try
        {
            while (await ticker.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if ((options.MaxCalls > 0 && Placed >= options.MaxCalls)
                    || (options.Duration > TimeSpan.Zero && time.GetElapsedTime(started) >= options.Duration))
                {
                    streamEnded.TrySetResult(Placed);
                    break;
                }

                Placed++;
                _ = PlaceAsync(mix.Next(), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task WaitForAppAsync(CancellationToken cancellationToken)
    {
        var deadline = time.GetTimestamp();
        while (asterisk.ConnectedEventSockets == 0 && time.GetElapsedTime(deadline) < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PlaceAsync(CallScript script, CancellationToken cancellationToken)
    {
        try
        {
            await asterisk.PlaceCallAsync(script, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException)
        {
            LogMessages.SyntheticCallFailed(logger, ex.Message);
        }
    }
}
