using System.Buffers;
using Routing.Asterisk.Ami;
using Routing.Asterisk.Tests.Support;

namespace Routing.Asterisk.Tests.Ami;

/// <summary>The real Asterisk 23.4.1 AMI recordings go through the parser.</summary>
public class AmiTranscriptTests
{
    public static TheoryData<string> ServerStreams()
    {
        var data = new TheoryData<string>();
        foreach (var f in Traces.Files("ami-*.txt"))
        {
            var name = Path.GetFileName(f);
            if (!name.EndsWith(".sent.txt", StringComparison.Ordinal) && !name.EndsWith(".transcript.txt", StringComparison.Ordinal)) data.Add(name);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ServerStreams))]
    public void Every_message_of_a_server_stream_parses(string file)
    {
        var trace = new AmiTrace(file);
        var frames = AmiFrameParserTests.ParseAll(trace.Text);

        Assert.Equal(AmiFrameKind.Banner, frames[0].Kind);
        Assert.Equal("Asterisk Call Manager/12.0.0", frames[0].Banner);
        Assert.DoesNotContain(frames, f => f.Kind == AmiFrameKind.Malformed);
        var messages = frames.Skip(1).Select(f => f.Message!).ToList();

        var login = messages[0];
        Assert.Equal(("Success", "login-1", "Authentication accepted"), (login.ResponseStatus, login.ActionId, login["Message"]));
        Assert.Equal("Goodbye", messages[^1].ResponseStatus);
        Assert.Equal("FullyBooted", messages[1].EventName);

        var counts = messages.Where(m => m.IsEvent).GroupBy(m => m.EventName!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(trace.EventCounts.OrderBy(kv => kv.Key), counts.OrderBy(kv => kv.Key));
        Assert.Equal(messages.Count - 2, counts.Values.Sum());
    }

    [Fact]
    public void Call_112_fire_events_are_plausible()
    {
        var messages = AmiFrameParserTests.ParseAll(new AmiTrace("ami-call-112-fire.txt").Text).Skip(1).Select(f => f.Message!).ToList();
        int Count(string name) => messages.Count(m => m.EventName == name);

        Assert.Equal(Count("Newchannel"), Count("Hangup")); // every channel created is hung up
        Assert.Equal(2, Count("Newchannel"));               // caller + fire
        Assert.Equal(Count("BridgeEnter"), Count("BridgeLeave"));
        Assert.Equal(1, Count("DialBegin"));
        Assert.Equal(1, Count("DialEnd"));

        var hangupFire = messages.Single(m => m.EventName == "Hangup" && m["Uniqueid"] == "fire-1795486382.2");
        Assert.Equal(("16", "Normal Clearing"), (hangupFire["Cause"], hangupFire["cause-txt"]));
        var stasis = messages.Where(m => m.EventName == "VarSet" && m["Variable"] == "STASISSTATUS").Select(m => m["Value"]).ToList();
        Assert.Contains("SUCCESS", stasis);
    }

    [Fact]
    public void Stasis_app_down_recording_shows_the_FAILED_fallback()
    {
        var messages = AmiFrameParserTests.ParseAll(new AmiTrace("ami-stasis-app-down.txt").Text).Skip(1).Select(f => f.Message!).ToList();
        Assert.Contains(messages, m => m.EventName == "VarSet" && m["Variable"] == "STASISSTATUS" && m["Value"] == "FAILED");
    }

    [Theory]
    [InlineData("ami-call-112-fire.transcript.txt")]
    [InlineData("ami-stasis-app-down.transcript.txt")]
    public void Two_way_transcripts_parse_including_our_actions(string file)
    {
        var frames = AmiFrameParserTests.ParseAll(File.ReadAllText(Traces.PathOf(file)));
        Assert.DoesNotContain(frames, f => f.Kind == AmiFrameKind.Malformed);
        var actions = frames.Where(f => f.Message?.Has("Action") == true).Select(f => f.Message!["Action"]).ToList();
        Assert.Equal(["Login", "Logoff"], actions);
    }
}
