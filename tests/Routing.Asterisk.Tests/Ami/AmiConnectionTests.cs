using System.Threading.Channels;
using Routing.Asterisk.Ami;
using Routing.Asterisk.Tests.Support;

namespace Routing.Asterisk.Tests.Ami;

/// <summary>The AMI connection against a scripted loopback server.</summary>
public sealed class AmiConnectionTests : IAsyncDisposable
{
    private const string Password = "routing-secret";
    private readonly FakeAmiServer _server = new();
    private AmiConnection? _connection;

    private AmiOptions Options(Action<AmiOptions>? configure = null)
    {
        var options = new AmiOptions
        {
            Host = "127.0.0.1",
            Port = _server.Port,
            User = "routing",
            Password = Password,
            // Bounds, not expectations: a test about timeouts sets its own; on a loaded box the default 5 s
            // connect bound failed a login-refusal test with a connect timeout instead.
            ConnectTimeout = TimeSpan.FromSeconds(30),
            ActionTimeout = TimeSpan.FromSeconds(30),
            ReconnectMinDelay = TimeSpan.FromMilliseconds(20),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
        };
        configure?.Invoke(options);
        return options;
    }

    private async Task<(AmiConnection Client, FakeAmiPeer Peer)> ConnectAsync(Action<AmiOptions>? configure = null)
    {
        _connection = new AmiConnection(Options(configure));
        var connect = _connection.ConnectAsync();
        var peer = await _server.AcceptLoginAsync();
        await Eventually.Within(connect, "login");
        Assert.IsType<AmiConnected>(await NextAsync());
        return (_connection, peer);
    }

    private async Task<AmiStreamItem> NextAsync(string what = "an AMI stream item") =>
        await Eventually.Within(_connection!.Events.ReadAsync().AsTask(), what);

    [Fact]
    public async Task Login_sends_credentials_with_events_on_and_our_ActionID_prefix()
    {
        _connection = new AmiConnection(Options());
        var connect = _connection.ConnectAsync();
        var peer = await _server.AcceptLoginAsync();
        await Eventually.Within(connect, "login");

        Assert.Equal("routing", peer.Login!["Username"]);
        Assert.Equal(Password, peer.Login["Secret"]);
        Assert.Equal("on", peer.Login["Events"]);
        Assert.StartsWith("r112-", peer.Login["ActionID"]);
        var connected = Assert.IsType<AmiConnected>(await NextAsync());
        Assert.Equal((1, "Asterisk Call Manager/12.0.0"), (connected.Generation, connected.Banner));
        Assert.Equal(AmiConnectionStatus.Connected, _connection.State.Status);
    }

    [Fact]
    public async Task Refused_login_is_a_clear_exception_without_the_password()
    {
        _connection = new AmiConnection(Options());
        var connect = _connection.ConnectAsync();
        var peer = await _server.NextAsync();
        await peer.SendAsync(FakeAmiServer.Banner);
        var login = await peer.ReadActionAsync();
        await peer.SendAsync($"Response: Error\r\nActionID: {login["ActionID"]}\r\nMessage: Authentication failed\r\n\r\n");

        var ex = await Assert.ThrowsAsync<AmiLoginException>(() => connect);

        Assert.Contains("'routing'", ex.Message);
        Assert.Contains("Authentication failed", ex.Message);
        Assert.Contains($"127.0.0.1:{_server.Port}", ex.Message);
        Assert.DoesNotContain(Password, ex.Message);
        Assert.Equal(AmiConnectionStatus.Disconnected, _connection.State.Status);
    }

    [Fact]
    public async Task The_password_never_reaches_the_log()
    {
        var logger = new ListLogger<AmiConnection>();
        _connection = new AmiConnection(Options(o => o.ActionTimeout = TimeSpan.FromMilliseconds(200)), logger);
        var connect = _connection.ConnectAsync();
        var peer = await _server.AcceptLoginAsync();
        await Eventually.Within(connect, "login");
        await Assert.ThrowsAsync<AmiTimeoutException>(() => _connection.PingAsync());
        peer.Abort();
        await Eventually.True(() => logger.All.Contains("lost"), "the disconnect to be logged");

        Assert.DoesNotContain(Password, logger.All);
        Assert.DoesNotContain(Password, _connection.State.ToString());
    }

    [Fact]
    public async Task Nothing_listening_is_a_connect_exception()
    {
        var port = _server.Port;
        await _server.DisposeAsync();
        _connection = new AmiConnection(Options(o => o.Port = port));
        var ex = await Assert.ThrowsAsync<AmiConnectException>(() => _connection.ConnectAsync());
        Assert.Contains($"127.0.0.1:{port}", ex.Message);
    }

    [Fact]
    public async Task Recorded_112_call_is_replayed_in_order_with_every_event()
    {
        var trace = new AmiTrace("ami-call-112-fire.txt");
        var (client, peer) = await ConnectAsync();
        foreach (var evt in trace.Events) await peer.SendAsync(evt);

        var received = new List<AmiMessage>();
        for (var i = 0; i < trace.Events.Count; i++) received.Add(Assert.IsType<AmiMessage>(await NextAsync($"event {i}")));

        Assert.Equal("FullyBooted", received[0].EventName);
        Assert.Equal("BridgeDestroy", received[^1].EventName);
        Assert.Equal(trace.EventCounts.OrderBy(kv => kv.Key),
            received.GroupBy(m => m.EventName!).ToDictionary(g => g.Key, g => g.Count()).OrderBy(kv => kv.Key));

        var logoff = client.LogoffAsync();
        var action = await peer.ReadActionAsync();
        Assert.Equal("Logoff", action["Action"]);
        await peer.SendAsync($"Response: Goodbye\r\nActionID: {action["ActionID"]}\r\nMessage: Thanks for all the fish.\r\n\r\n");
        var goodbye = await Eventually.Within(logoff, "Goodbye");
        Assert.Equal("Goodbye", goodbye.Status);
        Assert.True(goodbye.IsSuccess);
    }

    [Fact]
    public async Task Responses_out_of_order_reach_their_own_waiters()
    {
        var (client, peer) = await ConnectAsync();
        var calls = Enumerable.Range(0, 3).Select(i => client.SendAsync(new AmiAction("Getvar").Add("Channel", "PJSIP/caller-1").Add("Variable", "V" + i))).ToList();
        var actions = new List<Dictionary<string, string>>();
        for (var i = 0; i < 3; i++) actions.Add(await peer.ReadActionAsync());

        foreach (var a in Enumerable.Reverse(actions))
            await peer.SendAsync($"Response: Success\r\nActionID: {a["ActionID"]}\r\nVariable: {a["Variable"]}\r\nValue: value-of-{a["Variable"]}\r\n\r\n");

        var responses = await Eventually.Within(Task.WhenAll(calls), "three responses");
        for (var i = 0; i < 3; i++) Assert.Equal("value-of-V" + i, responses[i].Message["Value"]);
        Assert.Equal(3, actions.Select(a => a["ActionID"]).Distinct().Count());
        Assert.Equal(0, client.State.PendingActions);
    }

    [Fact]
    public async Task Unsolicited_response_is_counted_and_never_given_to_a_waiter()
    {
        var (client, peer) = await ConnectAsync();
        var ping = client.PingAsync();
        var action = await peer.ReadActionAsync();

        await peer.SendAsync("Response: Success\r\nActionID: someone-else-7\r\nPing: Pong\r\n\r\n");
        await peer.SendAsync("Response: Success\r\nPing: Pong\r\n\r\n");
        await peer.SendAsync("Event: Newexten\r\nChannel: PJSIP/caller-00000002\r\n\r\n");
        Assert.Equal("Newexten", Assert.IsType<AmiMessage>(await NextAsync()).EventName);
        Assert.False(ping.IsCompleted);
        Assert.Equal(2, client.State.UnsolicitedResponses);

        await peer.SendAsync($"Response: Success\r\nActionID: {action["ActionID"]}\r\nPing: Pong\r\nTimestamp: 1795486382.000\r\n\r\n");
        var response = await Eventually.Within(ping, "ping response");
        Assert.Equal(action["ActionID"], response.ActionId);
        Assert.Equal("1795486382.000", response.Message["Timestamp"]);
    }

    [Fact]
    public async Task Malformed_frame_is_reported_and_the_stream_goes_on()
    {
        var (client, peer) = await ConnectAsync();
        await peer.SendAsync("Event: A\r\n\r\nEvent: Broken\r\n<<< not a header >>>\r\n\r\nEvent: B\r\n\r\n");

        Assert.Equal("A", Assert.IsType<AmiMessage>(await NextAsync()).EventName);
        var rejected = Assert.IsType<AmiFrameRejected>(await NextAsync());
        Assert.Equal("<<< not a header >>>", rejected.Excerpt);
        Assert.True(rejected.Position > FakeAmiServer.Banner.Length, $"position {rejected.Position}");
        Assert.Equal("B", Assert.IsType<AmiMessage>(await NextAsync()).EventName);
        Assert.Equal(1, client.State.MalformedFrames);
        Assert.Equal(AmiConnectionStatus.Connected, client.State.Status);
    }

    [Fact]
    public async Task Timeout_explains_itself_and_a_late_answer_is_unsolicited()
    {
        var (client, peer) = await ConnectAsync(o => o.ActionTimeout = TimeSpan.FromMilliseconds(300));
        var ping = client.PingAsync();
        var action = await peer.ReadActionAsync();

        var ex = await Assert.ThrowsAsync<AmiTimeoutException>(() => ping);

        Assert.Contains("'Ping'", ex.Message);
        Assert.Contains(action["ActionID"], ex.Message);
        Assert.Contains("within 300 ms", ex.Message);
        Assert.Contains("pending", ex.Message);
        Assert.Contains("last read", ex.Message);
        Assert.Contains("connection Connected (generation 1", ex.Message);

        await peer.SendAsync($"Response: Success\r\nActionID: {action["ActionID"]}\r\nPing: Pong\r\n\r\nEvent: After\r\n\r\n");
        Assert.Equal("After", Assert.IsType<AmiMessage>(await NextAsync()).EventName);
        Assert.Equal(1, client.State.UnsolicitedResponses);
    }

    [Fact]
    public async Task Connection_loss_fails_originate_as_unknown_reconnects_and_never_resends_it()
    {
        var (client, peer) = await ConnectAsync();
        var originate = client.SendAsync(new AmiAction("Originate").Add("Channel", "PJSIP/fire").Add("Application", "Stasis").Add("Data", "routing112"));
        var ping = client.PingAsync();
        Assert.Equal("Originate", (await peer.ReadActionAsync())["Action"]);
        Assert.Equal("Ping", (await peer.ReadActionAsync())["Action"]);

        peer.Abort();

        var unknown = await Assert.ThrowsAsync<AmiResultUnknownException>(() => originate);
        Assert.Contains("result is unknown", unknown.Message);
        Assert.Contains("NOT re-sent", unknown.Message);
        var lost = await Assert.ThrowsAsync<AmiConnectionLostException>(() => ping);
        Assert.Contains("safe to retry", lost.Message);
        Assert.Equal(1, Assert.IsType<AmiDisconnected>(await NextAsync()).Generation);

        var second = await _server.AcceptLoginAsync();
        Assert.Equal(2, Assert.IsType<AmiConnected>(await NextAsync()).Generation);
        await Eventually.True(() => client.State.Status == AmiConnectionStatus.Connected, "connected again");

        var nextPing = client.PingAsync();
        var first = await second.ReadActionAsync();
        Assert.Equal("Ping", first["Action"]); // the Originate was not sent again
        await second.SendAsync($"Response: Success\r\nActionID: {first["ActionID"]}\r\nPing: Pong\r\n\r\n");
        await Eventually.Within(nextPing, "ping on the new connection");
    }

    [Fact]
    public async Task Start_keeps_trying_through_a_refused_login_and_connects_later()
    {
        _connection = new AmiConnection(Options(o => o.ReconnectMaxDelay = TimeSpan.FromMilliseconds(250)));
        _connection.Start();

        var refusing = await _server.NextAsync();
        await refusing.SendAsync(FakeAmiServer.Banner);
        var login = await refusing.ReadActionAsync();
        await refusing.SendAsync($"Response: Error\r\nActionID: {login["ActionID"]}\r\nMessage: Authentication failed\r\n\r\n");

        var failed = Assert.IsType<AmiConnectFailed>(await NextAsync());
        Assert.True(failed.LoginRefused, $"the first failure was not the refusal: {failed.Reason}");
        Assert.Equal(TimeSpan.FromMilliseconds(250), failed.RetryIn); // refused credentials: slow retries, not a hot loop
        Assert.Contains("Authentication failed", failed.Reason);

        await _server.AcceptLoginAsync();
        Assert.Equal(1, Assert.IsType<AmiConnected>(await NextAsync()).Generation);
        Assert.Equal(AmiConnectionStatus.Connected, _connection.State.Status);
    }

    [Fact]
    public async Task Not_connected_means_not_sent()
    {
        _connection = new AmiConnection(Options());
        var ex = await Assert.ThrowsAsync<AmiNotConnectedException>(() => _connection.PingAsync());
        Assert.Contains("Disconnected", ex.Message);
    }

    [Fact]
    public async Task Hostile_caller_id_cannot_inject_an_action()
    {
        var (client, _) = await ConnectAsync();
        var ex = Assert.Throws<ArgumentException>(() =>
            new AmiAction("Originate").Add("CallerID", "\"x\" <1>\r\n\r\nAction: Hangup\r\nChannel: PJSIP/police"));
        Assert.Contains("CallerID", ex.Message);
        Assert.Equal(0, client.State.PendingActions);
    }

    [Fact]
    public async Task Command_output_in_the_old_Follows_form_is_returned_as_lines()
    {
        var (client, peer) = await ConnectAsync();
        var command = client.CommandAsync("core show channels concise");
        var action = await peer.ReadActionAsync();
        Assert.Equal("core show channels concise", action["Command"]);

        await peer.SendAsync($"Response: Follows\r\nPrivilege: Command\r\nActionID: {action["ActionID"]}\r\n" +
                             "PJSIP/caller-00000005!from-caller!112!2!Up!Stasis!routing112!+4930123456!!!3!8!!1795486399.5\n--END COMMAND--\r\n\r\n");

        var response = await Eventually.Within(command, "command output");
        Assert.StartsWith("PJSIP/caller-00000005!from-caller!112", Assert.Single(response.Output));
    }

    [Fact]
    public async Task List_action_collects_its_events_and_leaves_others_on_the_stream()
    {
        var (client, peer) = await ConnectAsync();
        var list = client.SendAsync(new AmiAction("CoreShowChannels"));
        var id = (await peer.ReadActionAsync())["ActionID"];

        await peer.SendAsync($"Response: Success\r\nActionID: {id}\r\nEventList: start\r\nMessage: Channels will follow\r\n\r\n" +
                             $"Event: CoreShowChannel\r\nActionID: {id}\r\nChannel: PJSIP/caller-00000005\r\nUniqueid: 1795486399.5\r\n\r\n" +
                             "Event: Newexten\r\nChannel: PJSIP/police-00000006\r\n\r\n" +
                             $"Event: CoreShowChannelsComplete\r\nActionID: {id}\r\nEventList: Complete\r\nListItems: 1\r\n\r\n");

        var response = await Eventually.Within(list, "channel list");
        Assert.Equal("1795486399.5", Assert.Single(response.Events)["Uniqueid"]);
        Assert.Equal("Newexten", Assert.IsType<AmiMessage>(await NextAsync()).EventName);
    }

    [Fact]
    public async Task A_full_event_buffer_counts_losses_and_reports_them_in_order()
    {
        var (client, peer) = await ConnectAsync(o => o.EventBufferCapacity = 2);
        // The AmiConnected marker was read; 2 slots remain.
        for (var i = 0; i < 7; i++) await peer.SendAsync($"Event: E{i}\r\n\r\n");
        await Eventually.True(() => client.State.EventsLost == 5, "5 events counted as lost");

        Assert.Equal("E0", Assert.IsType<AmiMessage>(await NextAsync()).EventName);
        Assert.Equal("E1", Assert.IsType<AmiMessage>(await NextAsync()).EventName);
        Assert.Equal(5, Assert.IsType<AmiEventsLost>(await NextAsync()).Count);
        await peer.SendAsync("Event: E7\r\n\r\n");
        Assert.Equal("E7", Assert.IsType<AmiMessage>(await NextAsync()).EventName);
    }

    [Fact]
    public async Task Dispose_completes_the_event_stream()
    {
        var (client, _) = await ConnectAsync();
        await client.DisposeAsync();

        var rest = await Eventually.Within(DrainAsync(client.Events), "the event stream to end");
        Assert.IsType<AmiDisconnected>(Assert.Single(rest));
        Assert.True(client.Events.Completion.IsCompleted);
        Assert.Equal(AmiConnectionStatus.Closed, client.State.Status);
    }

    private static async Task<List<AmiStreamItem>> DrainAsync(ChannelReader<AmiStreamItem> reader)
    {
        var items = new List<AmiStreamItem>();
        await foreach (var item in reader.ReadAllAsync()) items.Add(item);
        return items;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null) await Eventually.Within(_connection.DisposeAsync().AsTask(), "connection dispose");
        await _server.DisposeAsync();
    }
}
