using Routing.Checks.Asterisk;

namespace Routing.Checks.Tests;

/// <summary>
/// The shipped <c>[messages-app]</c>, run step by step (<see cref="DialplanRunner"/>) for a MESSAGE from the app: while
/// the engine's heartbeat is fresh the dialplan leaves the text to the engine; when it is stale or was never written
/// (the engine is away) the dialplan forwards it to the fallback desk and answers the sender, with nothing but digits
/// of the sender's address in a destination.
/// </summary>
public class DialplanTextFallbackTests
{
    private const long Now = 1_796_515_200;
    private const string From = "\"Айгуль\" <sip:+77271234567@appgw.example>";

    private static readonly Dialplan Shipped = LoadShipped();

    private static Dialplan LoadShipped()
    {
        var findings = new Findings();
        var dialplan = Dialplan.Parse(ConfFile.Load(Path.Combine(RepositoryFiles.Dialplans, "extensions.conf"), findings), findings);
        Assert.Empty(findings.Items);
        return dialplan;
    }

    private static DialplanRunner Message(long? heartbeat, string from = From, string body = "Помогите, драка у подъезда")
    {
        var runner = new DialplanRunner(Shipped, "") { Epoch = Now, MessageFrom = from, MessageBody = body };
        if (heartbeat is { } beat) runner.SetGlobal("ROUTING112_TEXT_HEARTBEAT", beat.ToString(System.Globalization.CultureInfo.InvariantCulture));
        runner.Run("messages-app", "112");
        return runner;
    }

    [Fact]
    public void With_a_fresh_heartbeat_the_dialplan_leaves_the_text_to_the_engine()
    {
        var runner = Message(heartbeat: Now - 2);

        Assert.Empty(runner.MessagesSent);
        Assert.Empty(runner.CelEvents);
        Assert.True(runner.HungUp);
    }

    [Fact]
    public void Three_seconds_without_a_heartbeat_is_enough_to_forward_a_text_so_a_crashed_engine_loses_at_most_that_window()
    {
        // The engine writes every second (Text:HeartbeatInterval); TEXT_HEARTBEAT_STALE is 3 s (was 15: every text of
        // the first 15 s after a crash went to an app nobody read).
        Assert.Equal(2, Message(heartbeat: Now - 3).MessagesSent.Count);
    }

    [Fact]
    public void A_forwarded_text_leaves_a_cel_record_naming_sender_desk_send_results_call_id_and_the_body_intact()
    {
        const string body = "Помогите, \"драка\" (у подъезда); 100% ${EPOCH} \\ конец";
        var runner = new DialplanRunner(Shipped, "") { Epoch = Now, MessageFrom = From, MessageBody = body, MessageCallId = "a,b\"c@gw" };
        runner.Run("messages-app", "112");

        var data = Assert.Single(runner.CelEvents);
        // CELGenUserEvent(event,extra): one comma, nothing a caller wrote can split or quote the arguments.
        var comma = data.IndexOf(',', StringComparison.Ordinal);
        Assert.Equal("routing112-text-fallback", data[..comma]);
        var extra = data[(comma + 1)..];
        Assert.DoesNotContain(',', extra);
        Assert.DoesNotContain('"', extra);
        Assert.DoesNotContain('\\', extra);
        var fields = extra.Split(' ').Select(f => f.Split('=', 2)).ToDictionary(f => f[0], f => f[1]);
        Assert.Equal("+77271234567", fields["number"]);
        Assert.Equal("pjsip:police-text", fields["desk"]);
        Assert.Equal("SUCCESS", fields["deskstatus"]);
        Assert.Equal("SUCCESS", fields["replystatus"]);
        Assert.Equal("a,b\"c@gw", Uri.UnescapeDataString(fields["callid"]));
        Assert.Equal(body, Uri.UnescapeDataString(fields["body"]));
    }

    [Theory]
    [InlineData(Now - 16L)]
    [InlineData(null)]
    public void With_a_stale_or_missing_heartbeat_the_text_goes_to_the_police_desk_and_the_sender_is_told_in_russian(long? heartbeat)
    {
        var runner = Message(heartbeat);

        Assert.Equal(2, runner.MessagesSent.Count);
        var (desk, deskFrom, deskBody, deskTo) = runner.MessagesSent[0];
        Assert.Equal("pjsip:police-text", desk);
        // MESSAGE(to) is left as received: Asterisk 23.4.1 addressed the copies To the desk and To the sender with it
        // (load-tests/asterisk text-away-desk, text-away-reply).
        Assert.Equal("pjsip:112@127.0.0.1:5060", deskTo);
        Assert.Equal("\"112\" <sip:112@localhost>", deskFrom);
        Assert.Equal("[112 text fallback: engine away] from +77271234567: Помогите, драка у подъезда", deskBody);
        var (reply, replyFrom, replyBody, replyTo) = runner.MessagesSent[1];
        Assert.Equal("pjsip:PJSIP/+77271234567@app-messages", reply);
        Assert.Equal(deskTo, replyTo);
        Assert.Equal(deskFrom, replyFrom);
        Assert.Equal("Ваше сообщение передано в полицию. Если можете говорить - позвоните 112.", replyBody);
        // ARI hands the engine this same MESSAGE after the dialplan (seen on 23.4.1: an engine whose heartbeat was
        // late recorded the reply as the caller's text): what the caller wrote is put back.
        Assert.Equal("Помогите, драка у подъезда", runner.MessageBody);
    }

    [Fact]
    public void A_heartbeat_that_is_no_number_counts_as_missing()
    {
        Assert.Equal(2, Message(heartbeat: null, from: From).MessagesSent.Count);
        var runner = new DialplanRunner(Shipped, "") { Epoch = Now, MessageFrom = From, MessageBody = "x" };
        runner.SetGlobal("ROUTING112_TEXT_HEARTBEAT", "garbage");
        runner.Run("messages-app", "112");
        Assert.Equal(2, runner.MessagesSent.Count);
    }

    [Fact]
    public void A_hostile_sender_address_puts_only_its_digits_in_the_reply_destination_and_one_without_a_number_gets_nothing()
    {
        var hostile = Message(heartbeat: null, from: "\"x\" <sip:+7701,pjsip:evil/${EPOCH}&1@host>");
        Assert.Equal("pjsip:PJSIP/+7701@app-messages", hostile.MessagesSent[1].Destination);

        var nameless = Message(heartbeat: null, from: "<sip:anonymous@anonymous.invalid>");
        Assert.Empty(nameless.MessagesSent);
    }
}
