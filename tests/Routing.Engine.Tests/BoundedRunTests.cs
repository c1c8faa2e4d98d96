using Routing.Engine.Simulation;

namespace Routing.Engine.Tests;

/// <summary>`routing run --duration` ends by itself: the stream stops, the calls in flight are let
/// to end within Simulation:DrainTimeout, the summary is printed and the process exits 0.</summary>
public sealed class BoundedRunTests
{
    [Fact]
    public async Task A_run_with_a_duration_prints_its_summary_and_exits_by_itself_with_success()
    {
        var (exit, stdout, stderr) = await RoutingProcess.RunAsync(
            ["run", "--plain", "--duration", "00:00:01", "--calls-per-second", "4"],
            new Dictionary<string, string> { ["Admin__Urls"] = "http://127.0.0.1:0", ["Simulation__DrainTimeout"] = "00:00:02" });

        Assert.True(exit == 0, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.Contains("routing: synthetic stream over after", stderr, StringComparison.Ordinal);
        Assert.Matches(@"routing: \d+ synthetic calls placed; live: \d+ \[.*\] \| ended: \d+", stdout);
    }

    [Fact]
    public async Task The_wait_for_calls_in_flight_ends_when_the_last_one_ends()
    {
        var live = 3;

        var drained = await CallsInFlight.WaitUntilNoneAsync(() => live--, TimeSpan.FromMinutes(1), TimeProvider.System, CancellationToken.None, poll: TimeSpan.FromMilliseconds(1));

        Assert.True(drained);
        Assert.Equal(-1, live); // asked until it said none
    }

    [Fact]
    public async Task The_wait_for_calls_in_flight_gives_up_at_its_bound()
    {
        var drained = await CallsInFlight.WaitUntilNoneAsync(() => 1, TimeSpan.FromMilliseconds(20), TimeProvider.System, CancellationToken.None, poll: TimeSpan.FromMilliseconds(5));

        Assert.False(drained);
    }

    [Fact]
    public async Task Ctrl_C_ends_the_wait_for_calls_in_flight()
    {
        using var ctrlC = new CancellationTokenSource();
        await ctrlC.CancelAsync();

        Assert.False(await CallsInFlight.WaitUntilNoneAsync(() => 1, TimeSpan.FromMinutes(1), TimeProvider.System, ctrlC.Token));
    }
}
