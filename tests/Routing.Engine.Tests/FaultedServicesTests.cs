using Microsoft.Extensions.Hosting;
using Routing.Engine.Hosting;

namespace Routing.Engine.Tests;

/// <summary>A host that stopped itself because a service failed names the service and its error, so that
/// `routing run` exits non-zero (a supervisor restarts it) instead of looking like a clean stop.</summary>
public sealed class FaultedServicesTests
{
    [Fact]
    public async Task A_failed_background_service_is_named_with_its_error_and_stopped_ones_are_not()
    {
        var failing = new Failing();
        var stopped = new Waiting();
        using var stopping = new CancellationTokenSource();
        await failing.StartAsync(CancellationToken.None);
        await stopped.StartAsync(stopping.Token);
        await stopping.CancelAsync();
        await stopped.StopAsync(CancellationToken.None);
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing.ExecuteTask!);

        var faults = FaultedServices.Of([stopped, failing]);

        Assert.Equal(["Failing failed: InvalidOperationException: no such table: call_events"], faults);
        Assert.Empty(FaultedServices.Of([stopped]));
    }

    private sealed class Failing : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            throw new InvalidOperationException("no such table: call_events");
        }
    }

    private sealed class Waiting : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Delay(Timeout.Infinite, stoppingToken);
    }
}
