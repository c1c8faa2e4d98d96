using System.Text;
using System.Threading.Channels;
using Routing.Asterisk.Ari;
using Routing.Asterisk.Tests.Support;

namespace Routing.Asterisk.Tests.Ari;

/// <summary>The event websocket against a loopback server that plays Asterisk.</summary>
public sealed class AriEventStreamTests : IAsyncDisposable
{
    private static readonly string[] Trace = File.ReadAllLines(Traces.PathOf("ari-call-112-fire.events.jsonl")).Where(l => l.Length > 0).ToArray();

    private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(20));
    private LoopbackWebSocketServer? _server;
    private AriEventStream? _stream;
    private Task? _run;

    private AriEventStream Start(LoopbackWebSocketServer server, Action<AriOptions>? configure = null)
    {
        _server = server;
        var options = AriTestOptions.For(server.AriUrl);
        configure?.Invoke(options);
        _stream = new AriEventStream(options);
        _run = _stream.RunAsync(_stop.Token);
        return _stream;
    }

    private async Task<AriMessage> NextAsync(string what) =>
        await Eventually.Within(_stream!.Reader.ReadAsync().AsTask(), what);

    private async Task<T> NextAsync<T>() where T : AriMessage
    {
        var message = await NextAsync(typeof(T).Name);
        return Assert.IsType<T>(message);
    }

    [Fact]
    public async Task Events_arrive_in_order_after_a_connected_marker()
    {
        var stream = Start(new LoopbackWebSocketServer());
        var server = await _server!.NextAsync();
        foreach (var line in Trace) await server.SendAsync(line);

        Assert.Equal(1, (await NextAsync<AriConnected>()).Generation);
        var received = new List<AriEvent>();
        for (var i = 0; i < Trace.Length; i++) received.Add(Assert.IsAssignableFrom<AriEvent>(await NextAsync($"event {i}")));

        Assert.Equal(Trace.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("type").GetString()), received.Select(e => e.Type));
        Assert.Equal("1795486382.2", Assert.IsType<StasisStart>(received[0]).Channel.Id);
        Assert.True(stream.State.IsConnected);
        Assert.Equal(Trace.Length, stream.State.EventsReceived);
        Assert.NotNull(stream.State.LastReadAt);
    }

    [Fact]
    public async Task Handshake_asks_for_the_app_and_authenticates_in_a_header_not_the_url()
    {
        Start(new LoopbackWebSocketServer());
        var server = await _server!.NextAsync();

        Assert.Equal("GET /ari/events?app=routing112&subscribeAll=false HTTP/1.1", server.RequestLine);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("routing:routing-secret")), server.Headers["Authorization"]);
        Assert.DoesNotContain("secret", server.RequestLine);
    }

    [Fact]
    public async Task Server_close_reports_disconnected_then_reconnects_as_generation_2()
    {
        var stream = Start(new LoopbackWebSocketServer());
        var first = await _server!.NextAsync();
        await first.SendAsync(Trace[0]);
        await first.CloseAsync();

        Assert.Equal(1, (await NextAsync<AriConnected>()).Generation);
        Assert.IsType<StasisStart>(await NextAsync("StasisStart"));
        var gone = await NextAsync<AriDisconnected>();
        Assert.Equal(1, gone.Generation);
        Assert.Contains("closed", gone.Reason);

        var second = await _server.NextAsync();
        Assert.Equal(2, (await NextAsync<AriConnected>()).Generation);
        await second.SendAsync(Trace[1]);
        Assert.IsType<ChannelStateChange>(await NextAsync("ChannelStateChange on generation 2"));
        Assert.Equal(2, stream.State.Generation);
    }

    [Fact]
    public async Task Aborted_tcp_connection_is_reported_and_reconnected()
    {
        Start(new LoopbackWebSocketServer());
        (await _server!.NextAsync()).Abort();

        await NextAsync<AriConnected>();
        var gone = await NextAsync<AriDisconnected>();
        Assert.False(string.IsNullOrWhiteSpace(gone.Reason));
        await _server.NextAsync();
        Assert.Equal(2, (await NextAsync<AriConnected>()).Generation);
    }

    [Fact]
    public async Task Garbage_frame_between_two_events_is_rejected_and_both_events_still_arrive()
    {
        var stream = Start(new LoopbackWebSocketServer());
        var server = await _server!.NextAsync();
        await server.SendAsync(Trace[0]);
        await server.SendAsync("this is not json {");
        await server.SendAsync(Trace[1]);

        await NextAsync<AriConnected>();
        Assert.IsType<StasisStart>(await NextAsync("first event"));
        var rejected = await NextAsync<AriFrameRejected>();
        Assert.Contains("not valid JSON", rejected.Error);
        Assert.Equal("this is not json {", rejected.Excerpt);
        Assert.IsType<ChannelStateChange>(await NextAsync("second event"));
        Assert.Equal(1, stream.State.FramesRejected);
        Assert.True(stream.State.IsConnected);
    }

    [Fact]
    public async Task Fragmented_message_is_reassembled()
    {
        Start(new LoopbackWebSocketServer());
        var server = await _server!.NextAsync();
        var big = Trace.OrderByDescending(l => l.Length).First();
        await server.SendFragmentedAsync(big, 7);
        await server.SendAsync(Trace[0]);

        await NextAsync<AriConnected>();
        var evt = Assert.IsAssignableFrom<AriEvent>(await NextAsync("fragmented event"));
        Assert.Equal(AriEventParser.Parse(Encoding.UTF8.GetBytes(big)).Type, evt.Type);
        Assert.IsType<StasisStart>(await NextAsync("event after it"));
    }

    [Fact]
    public async Task Message_larger_than_the_limit_is_rejected_and_the_stream_goes_on()
    {
        Start(new LoopbackWebSocketServer(), o => o.MaxMessageBytes = 1024);
        var server = await _server!.NextAsync();
        await server.SendFragmentedAsync("{\"type\":\"Huge\",\"pad\":\"" + new string('x', 200_000) + "\"}", 50);
        await server.SendAsync(Trace[0]);

        await NextAsync<AriConnected>();
        Assert.Contains("larger than 1024 bytes", (await NextAsync<AriFrameRejected>()).Error);
        Assert.IsType<StasisStart>(await NextAsync("event after the huge one"));
    }

    [Fact]
    public async Task Wrong_credentials_are_reported_as_401_and_retried_slowly()
    {
        var stream = Start(new LoopbackWebSocketServer(n => n <= 2 ? 401 : 101), o => o.ReconnectMaxDelay = TimeSpan.FromMilliseconds(300));

        var failed = await NextAsync<AriConnectFailed>();
        Assert.Equal(401, failed.StatusCode);
        Assert.Contains("401", failed.Reason);
        Assert.Contains("'routing'", failed.Reason);
        Assert.DoesNotContain(AriTestOptions.Password, failed.Reason);
        Assert.Equal(TimeSpan.FromMilliseconds(300), failed.RetryIn); // not hot: the ceiling, not the floor
        Assert.Equal(401, (await NextAsync<AriConnectFailed>()).StatusCode);
        Assert.Equal(1, (await NextAsync<AriConnected>()).Generation);
        Assert.Equal(3, _server!.Attempts);
        Assert.Null(stream.State.LastError);
    }

    [Fact]
    public async Task Nothing_listening_is_reported_as_a_network_failure_and_retried()
    {
        var port = 0;
        await using (var closed = new LoopbackWebSocketServer()) port = closed.AriUrl.Port;
        var options = AriTestOptions.For(new Uri($"http://127.0.0.1:{port}/ari/"));
        _stream = new AriEventStream(options);
        _run = _stream.RunAsync(_stop.Token);

        var first = await NextAsync<AriConnectFailed>();
        var second = await NextAsync<AriConnectFailed>();

        Assert.Null(first.StatusCode);
        Assert.Contains("cannot connect", first.Reason);
        // At least two: the stream retries within 200 ms and may have failed again before this line runs on a busy box.
        Assert.True(_stream.State.ConsecutiveFailures >= 2, $"consecutive failures: {_stream.State.ConsecutiveFailures}");
        Assert.InRange(second.RetryIn, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task Refused_credentials_never_reach_the_log_with_the_password()
    {
        _server = new LoopbackWebSocketServer(_ => 401);
        var logger = new ListLogger<AriEventStream>();
        _stream = new AriEventStream(AriTestOptions.For(_server.AriUrl), logger);
        _run = _stream.RunAsync(_stop.Token);

        await NextAsync<AriConnectFailed>();

        Assert.Contains("401", logger.All);
        Assert.DoesNotContain(AriTestOptions.Password, logger.All);
    }

    [Fact]
    public async Task Bad_request_handshake_is_reported_as_400()
    {
        var stream = Start(new LoopbackWebSocketServer(_ => 400));

        var failed = await NextAsync<AriConnectFailed>();

        Assert.Equal(400, failed.StatusCode);
        Assert.Contains("app 'routing112'", failed.Reason);
        Assert.InRange(failed.RetryIn, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(200));
        Assert.False(stream.State.IsConnected);
        Assert.Equal(failed.Reason, stream.State.LastError);
    }

    [Fact]
    public async Task A_full_buffer_drops_and_counts_then_reports_the_loss_in_order()
    {
        var stream = Start(new LoopbackWebSocketServer(), o => o.EventBufferCapacity = 3);
        var server = await _server!.NextAsync();
        for (var i = 0; i < 10; i++) await server.SendAsync(Trace[i]);

        // Connected + 2 events fill the buffer; the other 8 are dropped and counted while nobody reads.
        await Eventually.True(() => stream.State.EventsLost == 8, "8 events counted as lost");
        Assert.Equal(1, (await NextAsync<AriConnected>()).Generation);
        Assert.IsType<StasisStart>(await NextAsync("event 0"));
        Assert.IsType<ChannelStateChange>(await NextAsync("event 1"));
        Assert.Equal(8, (await NextAsync<AriEventsLost>()).Count);

        await server.SendAsync(Trace[10]);
        var after = Assert.IsAssignableFrom<AriEvent>(await NextAsync("event after the loss"));
        Assert.Equal(AriEventParser.Parse(Encoding.UTF8.GetBytes(Trace[10])).Type, after.Type);
    }

    [Fact]
    public async Task Stopping_completes_the_reader()
    {
        Start(new LoopbackWebSocketServer());
        await _server!.NextAsync();
        await NextAsync<AriConnected>();

        await _stop.CancelAsync();
        await Eventually.Within(_run!, "RunAsync to end");

        Assert.IsType<AriDisconnected>(await NextAsync("disconnected marker"));
        await Eventually.Within(_stream!.Reader.Completion, "reader completion");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null) await Eventually.Within(_run, "RunAsync to stop at test end");
        _stream?.Dispose();
        if (_server is not null) await _server.DisposeAsync();
    }
}
