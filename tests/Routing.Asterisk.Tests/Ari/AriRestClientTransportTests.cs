using System.Net;
using System.Net.Sockets;
using Routing.Asterisk.Ari;
using Routing.Asterisk.Tests.Support;

namespace Routing.Asterisk.Tests.Ari;

/// <summary>Over real loopback sockets: the bounded pool, the hard timeout, an unreachable Asterisk.</summary>
public class AriRestClientTransportTests
{
    private const string Info = """{"system": {"version": "23.4.1", "entity_id": "02:fc:00:00:00:01"}}""";

    [Fact]
    public async Task Forty_concurrent_requests_never_open_more_than_MaxConnections_sockets()
    {
        await using var server = new LoopbackHttpServer(Info, TimeSpan.FromMilliseconds(20));
        var options = AriTestOptions.For(server.AriUrl);
        options.MaxConnections = 4;
        using var client = new AriRestClient(options);

        var results = await Eventually.Within(
            Task.WhenAll(Enumerable.Range(0, 40).Select(_ => client.GetInfoAsync())), "40 requests", 15000);

        Assert.All(results, r => Assert.Equal("23.4.1", r.System!.Version));
        Assert.Equal(40, server.Requests);
        Assert.InRange(server.AcceptedConnections, 1, 4);
        Assert.InRange(server.MaxConcurrentRequests, 1, 4);
        Assert.Equal(0, client.InFlight);
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out_with_an_explanation()
    {
        await using var server = new LoopbackHttpServer(Info, TimeSpan.Zero, neverAnswer: true);
        var options = AriTestOptions.For(server.AriUrl);
        options.RequestTimeout = TimeSpan.FromMilliseconds(300);
        options.MaxConnections = 2;
        using var client = new AriRestClient(options);

        var calls = Enumerable.Range(0, 3).Select(i => client.AnswerAsync("1795486382." + i)).ToList();
        var errors = await Eventually.Within(Task.WhenAll(calls.Select(c => Assert.ThrowsAsync<AriTimeoutException>(() => c))), "timeouts", 10000);

        var ex = errors[0];
        Assert.Equal("POST", ex.Method);
        Assert.StartsWith("/ari/channels/1795486382.", ex.Path);
        Assert.Contains("no answer within 300 ms", ex.Message);
        Assert.Contains("in flight on at most 2 connection(s)", ex.Message);
        Assert.InRange(ex.InFlight, 1, 3);
        Assert.True(ex.Elapsed >= TimeSpan.FromMilliseconds(250), $"elapsed {ex.Elapsed}");
        Assert.DoesNotContain(AriTestOptions.Password, ex.Message);
        Assert.Equal(0, client.InFlight);
    }

    [Fact]
    public async Task Caller_cancellation_is_not_reported_as_a_timeout()
    {
        await using var server = new LoopbackHttpServer(Info, TimeSpan.Zero, neverAnswer: true);
        using var client = new AriRestClient(AriTestOptions.For(server.AriUrl));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetInfoAsync(cts.Token));
    }

    [Fact]
    public async Task Unreachable_asterisk_is_reported_with_the_url_but_no_password()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now
        using var client = new AriRestClient(AriTestOptions.For(new Uri($"http://127.0.0.1:{port}/ari/")));

        var ex = await Assert.ThrowsAsync<AriUnavailableException>(() => client.ListChannelsAsync());

        Assert.Contains($"127.0.0.1:{port}", ex.Message);
        Assert.Contains("GET /ari/channels", ex.Message);
        Assert.DoesNotContain(AriTestOptions.Password, ex.ToString());
    }
}
