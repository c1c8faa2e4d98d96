using System.Net;
using System.Text;
using System.Web;
using Routing.Asterisk.Ari;
using Routing.Asterisk.Tests.Support;

namespace Routing.Asterisk.Tests.Ari;

/// <summary>The exact HTTP requests the client sends, with replies copied from ari-call-112-fire.rest.jsonl.</summary>
public class AriRestClientWireTests
{
    private const string FireChannel = """{"id": "fire-1795486382.2", "name": "PJSIP/fire-00000003", "state": "Down", "protocol_id": "847f0d6c-893d-4862-ae48-0935a6a276a3", "caller": {"name": "112 Leitstelle", "number": "112"}, "connected": {"name": "112 Leitstelle", "number": "112"}, "accountcode": "", "dialplan": {"context": "from-agency", "exten": "s", "priority": 1, "app_name": "AppDial2", "app_data": "(Outgoing Line)"}, "creationtime": "2026-11-24T02:13:04.364+0000", "language": "en"}""";
    private const string Bridge = """{"id": "a71dc4d6-6c68-40aa-979a-f5587739d441", "technology": "native_rtp", "bridge_type": "mixing", "bridge_class": "stasis", "creator": "Stasis", "name": "incident-1795486382.2", "channels": ["1795486382.2", "fire-1795486382.2"], "creationtime": "2026-11-24T02:13:04.363+0000", "video_mode": "talker"}""";

    private readonly RecordingHandler _handler = new();
    private readonly AriRestClient _client;

    public AriRestClientWireTests() => _client = new AriRestClient(AriTestOptions.Default(), _handler);

    private RecordedRequest Sent => Assert.Single(_handler.Requests);

    [Fact]
    public async Task Originate_sends_the_query_and_variables_body_of_the_recorded_call()
    {
        _handler.Reply(HttpStatusCode.OK, FireChannel);

        var channel = await _client.OriginateAsync(new AriOriginateRequest("PJSIP/fire", "routing112", "fire-1795486382.2")
        {
            AppArgs = ["dialed", "fire", "1795486382.2"],
            CallerId = "\"112 Leitstelle\" <112>",
            TimeoutSeconds = 30,
            Variables = new Dictionary<string, string> { ["INCIDENT_CALLER"] = "1795486382.2" },
        });

        Assert.Equal(
            "POST http://127.0.0.1:8088/ari/channels?endpoint=PJSIP%2Ffire&app=routing112&appArgs=dialed%2Cfire%2C1795486382.2" +
            "&callerId=%22112%20Leitstelle%22%20%3C112%3E&timeout=30&channelId=fire-1795486382.2", Sent.Line);
        Assert.Equal("""{"variables":{"INCIDENT_CALLER":"1795486382.2"}}""", Sent.Body);
        Assert.Equal("application/json", Sent.ContentType);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("routing:routing-secret")), Sent.Authorization);
        Assert.Equal(("fire-1795486382.2", "Down", "AppDial2"), (channel.Id, channel.State, channel.Dialplan!.AppName));
        Assert.Equal(new AriCallerId("112 Leitstelle", "112"), channel.Caller);
    }

    [Fact]
    public async Task A_user_event_is_published_to_the_named_application()
    {
        _handler.Reply(HttpStatusCode.NoContent, "");

        await _client.SendUserEventAsync("routing112", "routing112-barrier-7");

        Assert.Equal("POST http://127.0.0.1:8088/ari/events/user/routing112-barrier-7?application=routing112", Sent.Line);
        Assert.Null(Sent.Body);
    }

    [Fact]
    public async Task A_global_variable_is_set_with_POST_on_asterisk_variable_as_setGlobalVar()
    {
        _handler.Reply(HttpStatusCode.NoContent, "");

        await _client.SetGlobalVariableAsync("ROUTING112_TEXT_HEARTBEAT", "1796515200");

        Assert.Equal("POST http://127.0.0.1:8088/ari/asterisk/variable?variable=ROUTING112_TEXT_HEARTBEAT&value=1796515200", Sent.Line);
        Assert.Null(Sent.Body);
    }

    [Fact]
    public async Task Originate_without_variables_sends_no_body()
    {
        _handler.Reply(HttpStatusCode.OK, FireChannel);

        await _client.OriginateAsync(new AriOriginateRequest("PJSIP/fire", "routing112", "fire-1"));

        Assert.Equal("POST http://127.0.0.1:8088/ari/channels?endpoint=PJSIP%2Ffire&app=routing112&channelId=fire-1", Sent.Line);
        Assert.Null(Sent.Body);
    }

    [Theory]
    [InlineData("\"Müller, Jan\" <+49 30 123>")]
    [InlineData("a+b=c&d=e?f#g")]
    [InlineData("<script>'x'</script> 100%")]
    public async Task Hostile_caller_id_reaches_asterisk_unchanged(string callerId)
    {
        _handler.Reply(HttpStatusCode.OK, FireChannel);

        await _client.OriginateAsync(new AriOriginateRequest("PJSIP/fire", "routing112", "fire-1") { CallerId = callerId });

        // HttpUtility decodes '+' as a space, just like Asterisk's ast_uri_decode does.
        var query = HttpUtility.ParseQueryString(new Uri(Sent.Url).Query);
        Assert.Equal(callerId, query["callerId"]);
        Assert.Equal("routing112", query["app"]);
        Assert.Equal("fire-1", query["channelId"]);
    }

    [Fact]
    public async Task App_argument_with_a_comma_is_refused_before_sending()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() =>
            _client.OriginateAsync(new AriOriginateRequest("PJSIP/fire", "routing112", "fire-1") { AppArgs = ["dialed", "a,b"] }));
        Assert.Contains("appArgs", ex.Message);
        Assert.Empty(_handler.Requests);
    }

    public static TheoryData<string, Func<IAriRestClient, Task>, HttpStatusCode, string?> Calls() => new()
    {
        { "POST http://127.0.0.1:8088/ari/channels/fire-busy-2/dial?caller=1795486430.9&timeout=10",
            c => c.DialAsync("fire-busy-2", "1795486430.9", 10), HttpStatusCode.NoContent, null },
        { "POST http://127.0.0.1:8088/ari/channels/create?endpoint=PJSIP%2Ffire&app=routing112&appArgs=dialed%2Cfire&channelId=fire-busy-2",
            c => c.CreateChannelAsync(new AriOriginateRequest("PJSIP/fire", "routing112", "fire-busy-2") { AppArgs = ["dialed", "fire"] }),
            HttpStatusCode.OK, FireChannel },
        { "POST http://127.0.0.1:8088/ari/channels/1795486430.9/dtmf?dtmf=1", c => c.SendDtmfAsync("1795486430.9", "1"), HttpStatusCode.NoContent, null },
        { "POST http://127.0.0.1:8088/ari/channels/1795486382.2/answer", c => c.AnswerAsync("1795486382.2"), HttpStatusCode.NoContent, null },
        { "DELETE http://127.0.0.1:8088/ari/channels/1795486382.2?reason=normal", c => c.HangupAsync("1795486382.2", "normal"), HttpStatusCode.NoContent, null },
        { "DELETE http://127.0.0.1:8088/ari/channels/fire-1795486382.2", c => c.HangupAsync("fire-1795486382.2"), HttpStatusCode.NoContent, null },
        { "POST http://127.0.0.1:8088/ari/channels/1795486382.2/play?media=sound%3Abeep&playbackId=pb-beep-1795486382.2",
            c => c.PlayAsync("1795486382.2", "sound:beep", "pb-beep-1795486382.2"), HttpStatusCode.Created,
            """{"id": "pb-beep-1795486382.2", "media_uri": "sound:beep", "target_uri": "channel:1795486382.2", "language": "en", "state": "playing"}""" },
        { "POST http://127.0.0.1:8088/ari/channels/1/play?media=sound%3Abeep&lang=kk",
            c => c.PlayAsync("1", "sound:beep", lang: "kk"), HttpStatusCode.Created,
            """{"id": "x", "media_uri": "sound:beep", "target_uri": "channel:1", "state": "queued"}""" },
        { "DELETE http://127.0.0.1:8088/ari/playbacks/pb-1", c => c.StopPlaybackAsync("pb-1"), HttpStatusCode.NoContent, null },
        { "POST http://127.0.0.1:8088/ari/channels/1795486393.4/continue", c => c.ContinueAsync("1795486393.4"), HttpStatusCode.NoContent, null },
        { "POST http://127.0.0.1:8088/ari/channels/1/continue?context=from-caller&extension=112&priority=3&label=fallback",
            c => c.ContinueAsync("1", "from-caller", "112", 3, "fallback"), HttpStatusCode.NoContent, null },
        { "POST http://127.0.0.1:8088/ari/channels/1/variable?variable=INCIDENT&value=a%20b%2Bc", c => c.SetVariableAsync("1", "INCIDENT", "a b+c"), HttpStatusCode.NoContent, null },
        { "POST http://127.0.0.1:8088/ari/channels/1/moh?mohClass=default", c => c.StartMohAsync("1", "default"), HttpStatusCode.NoContent, null },
        { "DELETE http://127.0.0.1:8088/ari/channels/1/moh", c => c.StopMohAsync("1"), HttpStatusCode.NoContent, null },
        { "POST http://127.0.0.1:8088/ari/channels/1/ring", c => c.RingAsync("1"), HttpStatusCode.NoContent, null },
        { "POST http://127.0.0.1:8088/ari/channels/1/snoop?spy=in&whisper=none&app=routing112&appArgs=snoop%2C1&snoopId=snoop-1",
            c => c.SnoopAsync("1", "routing112", "in", "none", ["snoop", "1"], "snoop-1"), HttpStatusCode.OK,
            """{"id": "snoop-1", "name": "Snoop/1-00000001", "state": "Up"}""" },
        { "POST http://127.0.0.1:8088/ari/channels/1/record?name=call-1&format=wav&maxDurationSeconds=600&ifExists=fail",
            c => c.RecordAsync("1", "call-1", "wav", 600, "fail"), HttpStatusCode.Created,
            """{"name": "call-1", "format": "wav", "target_uri": "channel:1", "state": "queued"}""" },
        { "POST http://127.0.0.1:8088/ari/bridges?type=mixing&name=incident-1795486382.2",
            c => c.CreateBridgeAsync(type: "mixing", name: "incident-1795486382.2"), HttpStatusCode.OK, Bridge },
        { "POST http://127.0.0.1:8088/ari/bridges?type=holding&bridgeId=queue-police",
            c => c.CreateBridgeAsync("queue-police", "holding"), HttpStatusCode.OK, Bridge },
        { "POST http://127.0.0.1:8088/ari/bridges/a71dc4d6-6c68-40aa-979a-f5587739d441/addChannel?channel=1795486382.2%2Cfire-1795486382.2",
            c => c.AddChannelAsync("a71dc4d6-6c68-40aa-979a-f5587739d441", ["1795486382.2", "fire-1795486382.2"]), HttpStatusCode.NoContent, null },
        { "POST http://127.0.0.1:8088/ari/bridges/b/removeChannel?channel=1", c => c.RemoveChannelAsync("b", ["1"]), HttpStatusCode.NoContent, null },
        { "DELETE http://127.0.0.1:8088/ari/bridges/a71dc4d6-6c68-40aa-979a-f5587739d441",
            c => c.DestroyBridgeAsync("a71dc4d6-6c68-40aa-979a-f5587739d441"), HttpStatusCode.NoContent, null },
        { "POST http://127.0.0.1:8088/ari/bridges/b/moh", c => c.StartBridgeMohAsync("b"), HttpStatusCode.NoContent, null },
        { "DELETE http://127.0.0.1:8088/ari/bridges/b/moh", c => c.StopBridgeMohAsync("b"), HttpStatusCode.NoContent, null },
        { "GET http://127.0.0.1:8088/ari/bridges/a71dc4d6-6c68-40aa-979a-f5587739d441",
            c => c.GetBridgeAsync("a71dc4d6-6c68-40aa-979a-f5587739d441"), HttpStatusCode.OK, Bridge },
        { "GET http://127.0.0.1:8088/ari/bridges", c => c.ListBridgesAsync(), HttpStatusCode.OK, "[" + Bridge + "]" },
        { "GET http://127.0.0.1:8088/ari/channels", c => c.ListChannelsAsync(), HttpStatusCode.OK, "[" + FireChannel + "]" },
        { "GET http://127.0.0.1:8088/ari/channels/fire-1795486382.2", c => c.GetChannelAsync("fire-1795486382.2"), HttpStatusCode.OK, FireChannel },
        { "GET http://127.0.0.1:8088/ari/playbacks/pb-1", c => c.GetPlaybackAsync("pb-1"), HttpStatusCode.OK,
            """{"id": "pb-1", "media_uri": "sound:beep", "target_uri": "channel:1", "state": "playing"}""" },
        { "GET http://127.0.0.1:8088/ari/applications", c => c.ListApplicationsAsync(), HttpStatusCode.OK,
            """[{"name": "observer112", "channel_ids": ["__AST_CHANNEL_ALL_TOPIC"], "bridge_ids": ["__AST_BRIDGE_ALL_TOPIC"], "endpoint_ids": ["__AST_ENDPOINT_ALL_TOPIC"], "device_names": ["__AST_DEVICE_STATE_ALL_TOPIC"], "events_allowed": [], "events_disallowed": []}]""" },
        { "GET http://127.0.0.1:8088/ari/asterisk/info", c => c.GetInfoAsync(), HttpStatusCode.OK,
            """{"build": {"os": "Linux", "kernel": "6.1", "options": "", "machine": "x86_64", "date": "2026-11-24 02:01:23 UTC", "user": "root"}, "system": {"version": "23.4.1", "entity_id": "02:fc:00:00:00:01"}, "status": {"startup_time": "2026-11-24T02:12:39.000+0000", "last_reload_time": "2026-11-24T02:12:39.000+0000"}}""" },
        { "GET http://127.0.0.1:8088/ari/channels/id%20with%20space%2Fslash", c => c.GetChannelAsync("id with space/slash"), HttpStatusCode.OK, FireChannel },
        // turn2/ari-agents-registration.rest.jsonl and ari-warm-transfer-stale-endpoint-subscription.rest.jsonl
        { "POST http://127.0.0.1:8088/ari/applications/routing112/subscription?eventSource=endpoint%3APJSIP%2Fcalltaker-1%2Cendpoint%3APJSIP%2Fcalltaker-2%2CdeviceState%3APJSIP%2Fcalltaker-1%2CdeviceState%3APJSIP%2Fcalltaker-2",
            c => c.SubscribeAsync("routing112", [AriEventSource.Endpoint("PJSIP", "calltaker-1"), AriEventSource.Endpoint("PJSIP", "calltaker-2"),
                AriEventSource.DeviceState("PJSIP/calltaker-1"), AriEventSource.DeviceState("PJSIP/calltaker-2")]), HttpStatusCode.OK, SubscribedApp },
        { "DELETE http://127.0.0.1:8088/ari/applications/routing112/subscription?eventSource=endpoint%3APJSIP%2Fcalltaker-1",
            c => c.UnsubscribeAsync("routing112", ["endpoint:PJSIP/calltaker-1"]), HttpStatusCode.OK, SubscribedApp },
        { "GET http://127.0.0.1:8088/ari/endpoints", c => c.ListEndpointsAsync(), HttpStatusCode.OK, "[" + CallTakerEndpoint + "]" },
        { "GET http://127.0.0.1:8088/ari/endpoints/PJSIP", c => c.ListEndpointsAsync("PJSIP"), HttpStatusCode.OK, "[" + CallTakerEndpoint + "]" },
        { "GET http://127.0.0.1:8088/ari/endpoints/PJSIP/calltaker-1", c => c.GetEndpointAsync("PJSIP", "calltaker-1"), HttpStatusCode.OK, CallTakerEndpoint },
        { "POST http://127.0.0.1:8088/ari/channels/1/hold", c => c.HoldAsync("1"), HttpStatusCode.NoContent, null },
        { "DELETE http://127.0.0.1:8088/ari/channels/1/hold", c => c.UnholdAsync("1"), HttpStatusCode.NoContent, null },
        { "POST http://127.0.0.1:8088/ari/bridges/hold-1796555106.9/addChannel?channel=1796555106.9&role=participant",
            c => c.AddChannelAsync("hold-1796555106.9", ["1796555106.9"], "participant"), HttpStatusCode.NoContent, null },
        { "POST http://127.0.0.1:8088/ari/bridges/hold-1796555106.9/moh?mohClass=default", c => c.StartBridgeMohAsync("hold-1796555106.9", "default"), HttpStatusCode.NoContent, null },
    };

    private const string CallTakerEndpoint = """{"technology": "PJSIP", "resource": "calltaker-1", "state": "offline", "channel_ids": []}""";

    private const string SubscribedApp = """{"name": "routing112", "channel_ids": [], "bridge_ids": [], "endpoint_ids": ["PJSIP/calltaker-1", "PJSIP/calltaker-2"], "device_names": ["PJSIP/calltaker-1", "PJSIP/calltaker-2"], "events_allowed": [], "events_disallowed": []}""";

    [Fact]
    public async Task Endpoint_and_subscription_replies_are_read_into_their_records()
    {
        _handler.Reply(HttpStatusCode.OK, "[" + CallTakerEndpoint + "]");
        var endpoint = Assert.Single(await _client.ListEndpointsAsync());
        Assert.Equal(("PJSIP/calltaker-1", false), (endpoint.Id, endpoint.IsOnline));
        Assert.Empty(endpoint.ChannelIds!);

        _handler.Reply(HttpStatusCode.OK, SubscribedApp);
        var app = await _client.SubscribeAsync("routing112", [AriEventSource.Endpoint("PJSIP", "calltaker-1")]);
        Assert.Equal(["PJSIP/calltaker-1", "PJSIP/calltaker-2"], app.EndpointIds);
        Assert.Equal(["PJSIP/calltaker-1", "PJSIP/calltaker-2"], app.DeviceNames);
    }

    [Fact]
    public async Task Bad_subscription_and_endpoint_arguments_are_refused_before_sending()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _client.SubscribeAsync("routing112", []));
        await Assert.ThrowsAsync<ArgumentException>(() => _client.SubscribeAsync("routing112", ["endpoint:PJSIP/a,endpoint:PJSIP/b"]));
        await Assert.ThrowsAsync<ArgumentException>(() => _client.UnsubscribeAsync("routing112", [" "]));
        await Assert.ThrowsAsync<ArgumentException>(() => _client.GetEndpointAsync("PJSIP", ""));
        await Assert.ThrowsAsync<ArgumentException>(() => _client.AddChannelAsync("b", ["1"], ""));
        Assert.Throws<ArgumentException>(() => AriEventSource.Endpoint("", "calltaker-1"));
        Assert.Empty(_handler.Requests);
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task Each_call_sends_its_method_path_and_query(string expectedLine, Func<IAriRestClient, Task> call, HttpStatusCode status, string? reply)
    {
        _handler.Reply(status, reply);

        await call(_client);

        Assert.Equal(expectedLine, Sent.Line);
        Assert.Null(Sent.Body);
    }

    [Fact]
    public async Task Application_of_a_reconnect_lists_the_channels_still_held()
    {
        _handler.Reply(HttpStatusCode.OK, """{"name": "routing112", "channel_ids": ["1795486399.5"], "bridge_ids": [], "endpoint_ids": [], "device_names": [], "events_allowed": [], "events_disallowed": []}""");

        var app = await _client.GetApplicationAsync("routing112");

        Assert.Equal("GET http://127.0.0.1:8088/ari/applications/routing112", Sent.Line);
        Assert.Equal(["1795486399.5"], app.ChannelIds!);
        Assert.Empty(app.BridgeIds!);
    }

    [Fact]
    public async Task Event_filter_is_put_as_lists_of_type_objects_as_applications_json_describes()
    {
        _handler.Reply(HttpStatusCode.OK, """{"name": "routing112", "channel_ids": [], "bridge_ids": [], "endpoint_ids": [], "device_names": [], "events_allowed": [], "events_disallowed": [{"type": "ChannelVarset"}, {"type": "ChannelDialplan"}]}""");

        var app = await _client.SetEventFilterAsync("routing112", allowed: [], disallowed: ["ChannelVarset", "ChannelDialplan"]);

        Assert.Equal("PUT http://127.0.0.1:8088/ari/applications/routing112/eventFilter", Sent.Line);
        Assert.Equal("""{"allowed":[],"disallowed":[{"type":"ChannelVarset"},{"type":"ChannelDialplan"}]}""", Sent.Body);
        Assert.Equal("application/json", Sent.ContentType);
        Assert.Equal(2, app.EventsDisallowed!.Count);
    }

    [Fact]
    public async Task Event_filter_leaves_out_a_list_it_does_not_change()
    {
        _handler.Reply(HttpStatusCode.OK, """{"name": "routing112", "channel_ids": [], "bridge_ids": [], "endpoint_ids": [], "device_names": []}""");

        await _client.SetEventFilterAsync("routing112", allowed: null, disallowed: ["ChannelVarset"]);

        Assert.Equal("""{"disallowed":[{"type":"ChannelVarset"}]}""", Sent.Body);
    }

    [Fact]
    public async Task Event_filter_with_an_empty_type_name_is_refused_before_anything_is_sent()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => _client.SetEventFilterAsync("routing112", null, ["ChannelVarset", " "]));

        Assert.Contains("disallowed", error.Message);
        Assert.Empty(_handler.Requests);
    }

    [Fact]
    public async Task Info_exposes_version_and_entity_id()
    {
        _handler.Reply(HttpStatusCode.OK, """{"system": {"version": "23.4.1", "entity_id": "02:fc:00:00:00:01"}}""");
        var info = await _client.GetInfoAsync();
        Assert.Equal(("23.4.1", "02:fc:00:00:00:01"), (info.System!.Version, info.System.EntityId));
    }

    [Fact]
    public async Task Variable_value_comes_back_and_its_name_is_encoded()
    {
        _handler.Reply(HttpStatusCode.OK, """{"value": "+4930123456"}""");

        var value = await _client.GetVariableAsync("1795486382.2", "CALLERID(num)");

        Assert.Equal("GET http://127.0.0.1:8088/ari/channels/1795486382.2/variable?variable=CALLERID%28num%29", Sent.Line);
        Assert.Equal("+4930123456", value);
    }

    [Fact]
    public async Task Unset_variable_is_null_not_an_error()
    {
        _handler.Reply(HttpStatusCode.NotFound, """{"message": "Provided variable was not found"}""");
        Assert.Null(await _client.GetVariableAsync("1795486430.9", "NO_SUCH_VARIABLE"));
    }

    [Fact]
    public async Task Variable_of_a_gone_channel_still_throws()
    {
        _handler.Reply(HttpStatusCode.NotFound, """{"message": "Channel not found"}""");
        var ex = await Assert.ThrowsAsync<AriException>(() => _client.GetVariableAsync("gone", "X"));
        Assert.True(ex.IsNotFound);
    }

    [Fact]
    public async Task A_2xx_body_that_is_not_the_model_is_an_error_naming_the_path()
    {
        _handler.Reply(HttpStatusCode.OK, """{"id": 12}""");
        var ex = await Assert.ThrowsAsync<AriException>(() => _client.GetChannelAsync("1"));
        Assert.Contains("AriChannel", ex.Message);
        Assert.Contains("$.id", ex.Message);
    }

    [Fact]
    public async Task Empty_ids_are_refused_before_sending()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _client.AnswerAsync(""));
        await Assert.ThrowsAsync<ArgumentException>(() => _client.AddChannelAsync("b", []));
        Assert.Empty(_handler.Requests);
    }
}
