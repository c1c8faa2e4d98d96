using Microsoft.Extensions.Hosting;
using Routing.Engine.Hosting;

namespace Routing.Engine.Tests;

/// <summary>A host that stopped itself because a service failed names the service and its error, so that
/// `routing run` exits non-zero (a supervisor restarts it) instead of looking like a clean stop.</summary>
public sealed class FaultedServicesTests
{
    [Fact]
    public async Task A_failed_background_service_is_named_with_its_error_and_running_ones_are_not()
    {
        var failing = new Failing();
        var running = new Waiting();
        using var stopping = new CancellationTokenSource();
        await failing.StartAsync(CancellationToken.None);
        await running.StartAsync(stopping.Token);
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing.ExecuteTask!);

        var faults = FaultedServices.Of([running, failing]);

        Assert.Equal(["Failing failed: InvalidOperationException: no such table: call_events"], faults);
        await running.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_service_cancelled_by_its_own_timeout_is_a_failure_and_one_that_finished_its_work_is_not()
    {
        var timedOut = new TimingOut();
        var finished = new Finishing();
        await timedOut.StartAsync(CancellationToken.None);
        await finished.StartAsync(CancellationToken.None);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => timedOut.ExecuteTask!);
        await finished.ExecuteTask!;

        var faults = FaultedServices.Of([finished, timedOut]);

        Assert.Equal(["TimingOut failed: cancelled although no stop was asked for (a timeout inside the service)"], faults);
    }

    private sealed class Failing : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            throw new InvalidOperationException("no such table: call_events");
        }
    }

    private sealed class TimingOut : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(1));
            await Task.Delay(Timeout.Infinite, timeout.Token);
        }
    }

    private sealed class Finishing : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.CompletedTask;
    }

    private sealed class Waiting : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Delay(Timeout.Infinite, stoppingToken);
    }
}
