using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Routing.Engine.Simulation;

namespace Routing.Engine.Tests;

/// <summary>The synthetic call-takers of <c>make run</c> share the engine's process: a request of theirs that times
/// out must be a logged miss, not an exception that ends their service and stops the engine.</summary>
public sealed class OperatorApiRobotTests
{
    [Fact]
    public async Task A_request_the_api_does_not_answer_in_time_is_reported_not_thrown()
    {
        using var http = new HttpClient(new Stalling(stallFirst: int.MaxValue)) { BaseAddress = new Uri("http://127.0.0.1:9/"), Timeout = TimeSpan.FromMilliseconds(50) };
        var robot = new OperatorApiRobot(http, new Dictionary<string, string>(), NullLogger.Instance);

        Assert.False(await robot.PostAsync("aigerim", "/api/calltakers/calltaker-1/pause", new { reason = "break" }, CancellationToken.None));
        Assert.Null(await robot.TransferStateAsync("aigerim", "call-1", CancellationToken.None));
    }

    [Fact]
    public async Task A_log_in_that_timed_out_is_tried_again_until_the_api_says_yes()
    {
        var handler = new Stalling(stallFirst: 2);
        using var http = new HttpClient(handler) { BaseAddress = new Uri("http://127.0.0.1:9/"), Timeout = TimeSpan.FromMilliseconds(50) };
        var robot = new OperatorApiRobot(http, new Dictionary<string, string>(), NullLogger.Instance);

        await robot.LoginAsync("aigerim", "calltaker-1", TimeProvider.System, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(3, handler.Requests);
    }

    [Fact]
    public async Task Stopping_the_engine_still_ends_a_log_in_that_waits()
    {
        using var http = new HttpClient(new Stalling(stallFirst: int.MaxValue)) { BaseAddress = new Uri("http://127.0.0.1:9/"), Timeout = TimeSpan.FromMilliseconds(50) };
        var robot = new OperatorApiRobot(http, new Dictionary<string, string>(), NullLogger.Instance);
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => robot.LoginAsync("aigerim", "calltaker-1", TimeProvider.System, stop.Token));
    }

    /// <summary>Never answers the first <c>stallFirst</c> requests (the client's timeout ends them), then answers 200.</summary>
    private sealed class Stalling(int stallFirst) : HttpMessageHandler
    {
        private int requests;

        public int Requests => Volatile.Read(ref requests);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref requests) <= stallFirst)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }
}
