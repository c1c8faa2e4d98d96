using System.Text;
using System.Text.Json;
using Routing.Asterisk.Ari;
using Routing.Asterisk.Tests.Support;

namespace Routing.Asterisk.Tests.Ari;

/// <summary>Every websocket message Asterisk 23.4.1 sent in the recordings goes through the parser.</summary>
public class AriEventParserTraceTests
{
    public static TheoryData<string> EventFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in Traces.Files("*.events.jsonl")) data.Add(Path.GetFileName(f));
        return data;
    }

    private static List<(string Line, AriEvent Event)> ParseFile(string file) =>
        File.ReadAllLines(Traces.PathOf(file))
            .Where(l => l.Length > 0)
            .Select(l => (l, AriEventParser.Parse(Encoding.UTF8.GetBytes(l))))
            .ToList();

    [Theory]
    [MemberData(nameof(EventFiles))]
    public void Every_recorded_event_parses_to_the_record_named_by_its_type(string file)
    {
        foreach (var (line, evt) in ParseFile(file))
        {
            var type = JsonDocument.Parse(line).RootElement.GetProperty("type").GetString()!;
            Assert.Equal(type, evt.Type);
            if (AriEventParser.KnownTypeNames.Contains(type))
                Assert.Equal(type, evt.GetType().Name);
            else
                Assert.IsType<UnknownAriEvent>(evt);
            Assert.NotEqual(default, evt.Timestamp);
            Assert.Equal("02:fc:00:00:00:01", evt.AsteriskId);
            Assert.False(string.IsNullOrEmpty(evt.Application));
        }
    }

    public static TheoryData<string> Turn2EventFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.EnumerateFiles(Path.Combine(Traces.Dir, "turn2"), "*.events.jsonl").Order(StringComparer.Ordinal))
            data.Add("turn2/" + Path.GetFileName(f));
        return data;
    }

    [Theory]
    [MemberData(nameof(Turn2EventFiles))]
    public void Every_turn2_event_parses_to_its_record_too(string file) => Every_recorded_event_parses_to_the_record_named_by_its_type(file);

    [Fact]
    public void Call_taker_registration_events_are_typed_with_their_endpoint_peer_contact_and_device()
    {
        var events = ParseFile("turn2/ari-agents-registration.events.jsonl").Select(e => e.Event).ToList();

        Assert.DoesNotContain(events, e => e is UnknownAriEvent);
        var online = events.OfType<EndpointStateChange>().First();
        Assert.Equal(("PJSIP", "calltaker-1", "online", "PJSIP/calltaker-1"), (online.Endpoint.Technology, online.Endpoint.Resource, online.Endpoint.State, online.Endpoint.Id));
        Assert.Empty(online.Endpoint.ChannelIds!);
        Assert.True(online.Endpoint.IsOnline);
        Assert.Equal("routing112", online.Application);
        Assert.Equal(["online", "online", "offline", "online"], events.OfType<EndpointStateChange>().Select(e => e.Endpoint.State));
        Assert.Equal(["Reachable", "Reachable", "Unreachable", "Reachable"], events.OfType<PeerStatusChange>().Select(e => e.Peer.PeerStatus));
        var removed = events.OfType<ContactStatusChange>().Single(e => e.ContactInfo.ContactStatus == "Removed");
        Assert.Equal(new AriContactInfo("sip:calltaker-1@127.0.0.1:5081", "Removed", "calltaker-1", "0"), removed.ContactInfo);
        Assert.Equal(["NOT_INUSE", "NOT_INUSE", "UNAVAILABLE", "NOT_INUSE"], events.OfType<DeviceStateChanged>().Select(e => e.DeviceState.State));
    }

    [Fact]
    public void A_stale_endpoint_subscription_shows_the_call_takers_channel_on_its_endpoint()
    {
        var events = ParseFile("turn2/ari-warm-transfer-stale-endpoint-subscription.events.jsonl").Select(e => e.Event).ToList();

        var changes = events.OfType<EndpointStateChange>().Where(e => e.Endpoint.Resource == "calltaker-1").ToList();
        Assert.Equal([["ct1-1796555085.6"], []], changes.Select(e => e.Endpoint.ChannelIds!.ToArray()));
        var created = events.OfType<ChannelCreated>().Single();
        Assert.Equal(("Call-taker 1", "from-calltaker"), (created.Channel.Caller!.Name, created.Channel.Dialplan!.Context));
    }

    [Fact]
    public void All_recorded_event_files_are_replayed()
    {
        var files = Traces.Files("*.events.jsonl").ToList();
        var lines = files.Sum(f => File.ReadLines(f).Count(l => l.Length > 0));
        var parsed = files.Sum(f => ParseFile(Path.GetFileName(f)).Count);

        Assert.True(files.Count >= 7, $"expected at least 7 *.events.jsonl recordings, found {files.Count}");
        Assert.Equal(lines, parsed);
        Assert.True(parsed >= 150, $"the recordings should hold ~200 events, found {parsed}");
    }

    [Fact]
    public void Call_112_fire_StasisStart_carries_the_caller_channel()
    {
        var start = ParseFile("ari-call-112-fire.events.jsonl").Select(e => e.Event).OfType<StasisStart>().First();

        Assert.Empty(start.Args);
        Assert.Equal("1795486382.2", start.Channel.Id);
        Assert.Equal("PJSIP/caller-00000002", start.Channel.Name);
        Assert.Equal("Ring", start.Channel.State);
        Assert.Equal(new AriCallerId("Test Caller", "+4930123456"), start.Channel.Caller);
        Assert.Equal(new AriDialplanLocation("from-caller", "112", 2, "Stasis", "routing112"), start.Channel.Dialplan);
        Assert.Equal("1-27488@127.0.0.1", start.Channel.ProtocolId);
        Assert.Equal("en", start.Channel.Language);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 2, 13, 2, 214, TimeSpan.Zero), start.Channel.CreationTime);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 2, 13, 2, 214, TimeSpan.Zero), start.Timestamp);
        Assert.Equal("routing112", start.Application);
        Assert.Null(start.ReplaceChannel);
    }

    [Fact]
    public void Call_112_fire_agency_leg_has_its_args_dtmf_hangup_and_destroy()
    {
        var events = ParseFile("ari-call-112-fire.events.jsonl").Select(e => e.Event).ToList();

        var fireStart = events.OfType<StasisStart>().Single(s => s.Channel.Id == "fire-1795486382.2");
        Assert.Equal(["dialed", "fire", "1795486382.2"], fireStart.Args);

        var digits = events.OfType<ChannelDtmfReceived>().Select(d => (d.Digit, d.DurationMs)).ToList();
        Assert.Equal([("5", 280), ("7", 160)], digits);

        var hangup = events.OfType<ChannelHangupRequest>().First();
        Assert.Equal((32, true), (hangup.Cause, hangup.Soft));

        var destroyed = Assert.Single(events.OfType<ChannelDestroyed>());
        Assert.Equal((16, "Normal Clearing", "fire-1795486382.2"), (destroyed.Cause, destroyed.CauseTxt, destroyed.Channel.Id));

        Assert.Equal(["", "RINGING", "ANSWER"], events.OfType<Dial>().Select(d => d.Dialstatus));
        Assert.All(events.OfType<Dial>(), d => Assert.Equal("fire", d.Dialstring));

        var entered = events.OfType<ChannelEnteredBridge>().First();
        Assert.Equal("a71dc4d6-6c68-40aa-979a-f5587739d441", entered.Bridge.Id);
        Assert.Equal("mixing", entered.Bridge.BridgeType);
        Assert.Equal(["1795486382.2"], entered.Bridge.ChannelIds);

        var finished = events.OfType<PlaybackFinished>().Single();
        Assert.Equal(("pb-beep-1795486382.2", "done", "channel:1795486382.2"),
            (finished.Playback.Id, finished.Playback.State, finished.Playback.TargetUri));

        Assert.IsType<BridgeDestroyed>(events[^1]);
    }

    [Fact]
    public void ChannelVarset_with_variable_before_type_parses()
    {
        var varset = ParseFile("ari-call-112-fire.events.jsonl").Select(e => e.Event).OfType<ChannelVarset>()
            .First(v => v.Variable == "STASISSTATUS");
        Assert.Equal("", varset.Value);
        Assert.Equal("fire-1795486382.2", varset.Channel!.Id);
    }

    [Fact]
    public void Observer_app_sees_device_states_and_caller_id_changes()
    {
        var events = ParseFile("ari-observer112-subscribeAll.events.jsonl").Select(e => e.Event).ToList();

        var device = events.OfType<DeviceStateChanged>().First();
        Assert.Equal(new AriDeviceState("PJSIP/police", "RINGING"), device.DeviceState);

        var callerId = events.OfType<ChannelCallerId>().Single();
        Assert.Equal((0, "Presentation Allowed, Not Screened"), (callerId.CallerPresentation, callerId.CallerPresentationTxt));

        var dialplan = events.OfType<ChannelDialplan>().First();
        Assert.Equal("NoOp", dialplan.DialplanApp);
        Assert.Contains("\"Test Caller\" <+4930123456>", dialplan.DialplanAppData);
        Assert.All(events, e => Assert.Equal("observer112", e.Application));
    }

    [Fact]
    public void Originate_failures_give_busy_and_no_answer_causes()
    {
        var destroyed = ParseFile("ari-originate-failures.events.jsonl").Select(e => e.Event).OfType<ChannelDestroyed>()
            .Select(d => (d.Channel.Id, d.Cause, d.CauseTxt)).ToList();

        Assert.Contains(("fire-busy-1", 17, "User busy"), destroyed);
        Assert.Contains(("ambulance-noanswer-1", 19, "User alerting, no answer"), destroyed);
    }

    [Fact]
    public void A_parsed_event_serializes_back_to_the_same_json_shape()
    {
        var line = File.ReadLines(Traces.PathOf("ari-call-112-fire.events.jsonl")).First();
        var evt = AriEventParser.Parse(Encoding.UTF8.GetBytes(line));

        var again = AriEventParser.Parse(Encoding.UTF8.GetBytes(AriEventParser.Serialize(evt)));

        var start = Assert.IsType<StasisStart>(again);
        Assert.Equal(((StasisStart)evt).Channel, start.Channel with { });
        Assert.Equal(evt.Timestamp, again.Timestamp);
        Assert.Contains("\"creationtime\":\"2026-11-24T02:13:02.214+0000\"", AriEventParser.Serialize(evt));
    }

    [Fact]
    public void The_recorded_TextMessageReceived_carries_the_sender_endpoint_the_UTF8_body_and_the_SIP_headers()
    {
        var message = Assert.IsType<TextMessageReceived>(Assert.Single(ParseFile("turn2/ari-sip-message.events.jsonl")).Event);
        Assert.Equal("PJSIP/texter", message.Endpoint!.Id);
        Assert.Equal("\"Text Sender\" <sip:texter@127.0.0.1>", message.Message.From);
        Assert.Equal("pjsip:112@127.0.0.1", message.Message.To);
        Assert.Equal("Помогите! Пожар: Астана, пр. Абая 10, кв. 5. Help, fire!", message.Message.Body);
        Assert.Equal("Text Sender", message.Message.Variables!["PJSIP_ENDPOINT"]); // the caller-ID name, not the endpoint id
        Assert.Equal("text/plain;charset=UTF-8", message.Message.Variables["Content-Type"]);
    }
}
