using Routing.Simulator.Tests.Support;

namespace Routing.Simulator.Tests;

/// <summary>AMI: banner, login, ping, logoff and event text as in ami-call-112-fire.transcript.txt.</summary>
public sealed class AmiTests
{
    private static string[] Keys(string message) => message.Split("\r\n").Select(l => l[..l.IndexOf(':')]).ToArray();

    private static string TraceMessage(string file, Func<string, bool> match) =>
        Traces.Text(file).Split("\r\n\r\n").First(match);

    [Fact]
    public async Task Login_answers_like_Asterisk_then_FullyBooted()
    {
        await using var sim = await Sims.StartAsync();
        await using var ami = await AmiClient.ConnectAsync(sim);

        Assert.StartsWith("Asterisk Call Manager/12.0.0\r\nResponse: Success\r\nActionID: login-1\r\nMessage: Authentication accepted\r\n\r\nEvent: FullyBooted\r\nPrivilege: system,all\r\n", ami.Text);
        var booted = ami.Events("FullyBooted").Single();
        Assert.Equal(Keys(TraceMessage("ami-call-112-fire.txt", m => m.StartsWith("Event: FullyBooted"))), Keys(booted));
        var auth = ami.Events("SuccessfulAuth").Single();
        Assert.Equal(Keys(TraceMessage("ami-call-112-fire.txt", m => m.StartsWith("Event: SuccessfulAuth"))), Keys(auth));
    }

    [Fact]
    public async Task Ping_pongs_and_Logoff_says_goodbye_and_closes()
    {
        await using var sim = await Sims.StartAsync();
        await using var ami = await AmiClient.ConnectAsync(sim);

        await ami.SendAsync("Action: Ping\r\nActionID: p1\r\n\r\n");
        await ami.WaitForTextAsync("Ping: Pong\r\n");
        Assert.Matches(@"Response: Success\r\nActionID: p1\r\nPing: Pong\r\nTimestamp: \d+\.\d{6}\r\n\r\n", ami.Text);

        await ami.SendAsync("Action: Logoff\r\nActionID: logoff-1\r\n\r\n");
        await ami.WaitForTextAsync("Response: Goodbye\r\nActionID: logoff-1\r\nMessage: Thanks for all the fish.\r\n\r\n");
        await Wait.UntilAsync(() => ami.Closed, "the server closed the connection");
    }

    [Fact]
    public async Task Unknown_actions_bad_lines_and_actions_before_login_get_errors_and_the_session_goes_on()
    {
        await using var sim = await Sims.StartAsync();
        await using var ami = await AmiClient.ConnectAsync(sim, login: false);

        await ami.SendAsync("Action: Ping\r\nActionID: early\r\n\r\n");
        await ami.WaitForTextAsync("Response: Error\r\nActionID: early\r\nMessage: Permission denied\r\n\r\n");
        await ami.SendAsync("Action: Login\nUsername: routing\nSecret: routing-secret\nActionID: l\n\n"); // bare LF works too
        await ami.WaitForTextAsync("Message: Authentication accepted");
        await ami.SendAsync("Action: FlyToTheMoon\r\nActionID: u1\r\n\r\n");
        await ami.WaitForTextAsync("Response: Error\r\nActionID: u1\r\nMessage: Invalid/unknown command\r\n\r\n");
        await ami.SendAsync("this line has no colon\r\n\r\n");
        await ami.WaitForTextAsync("Message: Malformed header line: 'this line has no colon'");
        await ami.SendAsync("Action: Ping\r\nActionID: after\r\n\r\n");
        await ami.WaitForTextAsync("ActionID: after\r\nPing: Pong");
        Assert.False(ami.Closed);
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_and_the_connection_closed()
    {
        await using var sim = await Sims.StartAsync();
        await using var ami = await AmiClient.ConnectAsync(sim, login: false);
        await ami.SendAsync("Action: Login\r\nUsername: routing\r\nSecret: guess\r\nActionID: l\r\n\r\n");
        await ami.WaitForTextAsync("Response: Error\r\nActionID: l\r\nMessage: Authentication failed\r\n\r\n");
        await Wait.UntilAsync(() => ami.Closed, "the server closed the connection");
    }

    [Fact]
    public async Task Call_events_have_the_field_sets_of_the_transcript()
    {
        await using var sim = await Sims.StartAsync(o => o.SoundDurations["sound:beep"] = TimeSpan.FromMilliseconds(10));
        await using var ami = await AmiClient.ConnectAsync(sim);
        using var ari = new AriClient(sim);
        await using var events = await EventStream.ConnectAsync(sim);
        var call = await sim.PlaceCallAsync(Sims.TestCaller(), CancellationToken.None);
        await events.UntilAsync("StasisStart");
        await ari.Post($"/ari/channels/{call.ChannelId}/answer");
        await ari.Post("/ari/bridges?type=mixing&bridgeId=b1&name=incident");
        await ari.Post("/ari/channels?endpoint=PJSIP/fire&app=routing112&channelId=fire-1&callerId=%22112%20Leitstelle%22%20%3C112%3E");
        await events.UntilAsync("StasisStart");
        await ari.Post($"/ari/bridges/b1/addChannel?channel={call.ChannelId},fire-1");
        call.SendDtmf('7');
        await ari.Delete($"/ari/channels/{call.ChannelId}");
        await ari.Delete("/ari/channels/fire-1");
        await ari.Delete("/ari/bridges/b1");
        await ami.WaitForMessageAsync(m => m.StartsWith("Event: BridgeDestroy\r\n"), "BridgeDestroy");

        const string trace = "ami-call-112-fire.txt";
        foreach (var ev in new[] { "Newchannel", "Newstate", "DialBegin", "DialState", "DialEnd", "BridgeCreate", "BridgeEnter", "BridgeLeave", "BridgeDestroy", "SoftHangupRequest", "Hangup", "DTMFBegin", "DTMFEnd" })
        {
            string expected = TraceMessage(trace, m => m.StartsWith($"Event: {ev}\r\n"));
            string ours = ami.Events(ev).First();
            Assert.True(Keys(expected).SequenceEqual(Keys(ours)), $"{ev}:\ntrace {string.Join(",", Keys(expected))}\nours  {string.Join(",", Keys(ours))}");
        }
        var newchannel = ami.Events("Newchannel").First();
        Assert.Contains("Channel: PJSIP/caller-00000000\r\nChannelState: 4\r\nChannelStateDesc: Ring\r\nCallerIDNum: +4930123456\r\nCallerIDName: Test Caller\r\nConnectedLineNum: <unknown>", newchannel);
        Assert.Contains(ami.Events("VarSet"), m => m.EndsWith("Variable: STASISSTATUS\r\nValue: SUCCESS"));
        Assert.Contains(ami.Events("Hangup"), m => m.Contains("Channel: PJSIP/fire-00000001") && m.EndsWith("Cause: 16\r\nCause-txt: Normal Clearing"));
    }

    [Fact]
    public async Task A_caller_name_with_line_breaks_cannot_break_AMI_framing()
    {
        await using var sim = await Sims.StartAsync();
        await using var ami = await AmiClient.ConnectAsync(sim);
        await sim.PlaceCallAsync(new CallScript("+77011234567", CallerName: "Evil\r\n\r\nEvent: Fake\r\nX: y"), CancellationToken.None);
        await ami.WaitForMessageAsync(m => m.StartsWith("Event: Newchannel"), "Newchannel");

        Assert.Empty(ami.Events("Fake"));
        Assert.Contains(ami.Events("Newchannel"), m => m.Contains("CallerIDName: Evil    Event: Fake  X: y\r\n"));
    }
}
