using System.Buffers;
using System.Text;
using Routing.Asterisk.Ami;

namespace Routing.Asterisk.Tests.Ami;

/// <summary>AMI framing rules, one by one, on literal bytes.</summary>
public class AmiFrameParserTests
{
    internal static List<AmiFrame> ParseAll(string text, AmiFrameParser? parser = null)
    {
        parser ??= new AmiFrameParser();
        var buffer = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(text));
        var frames = new List<AmiFrame>();
        while (parser.TryParse(ref buffer, out var frame)) frames.Add(frame);
        return frames;
    }

    private static AmiMessage Single(string text) => Assert.Single(ParseAll(text)).Message!;

    [Fact]
    public void Banner_line_is_recognised_on_its_own()
    {
        var frames = ParseAll("Asterisk Call Manager/12.0.0\r\nResponse: Success\r\nActionID: login-1\r\nMessage: Authentication accepted\r\n\r\n");

        Assert.Equal(AmiFrameKind.Banner, frames[0].Kind);
        Assert.Equal("Asterisk Call Manager/12.0.0", frames[0].Banner);
        Assert.Equal(AmiFrameKind.Message, frames[1].Kind);
        Assert.Equal(30, frames[1].Position);
        Assert.Equal("Authentication accepted", frames[1].Message!["Message"]);
    }

    [Fact]
    public void Keys_are_case_insensitive_and_split_at_the_first_colon()
    {
        var m = Single("Event: Newexten\r\nAppData: 112 call from \"Test Caller\" <+4930123456>: urgent\r\nAccountCode: \r\nExten: 112\r\n\r\n");

        Assert.True(m.IsEvent);
        Assert.Equal("Newexten", m.EventName);
        Assert.Equal("112 call from \"Test Caller\" <+4930123456>: urgent", m["appdata"]);
        Assert.Equal("", m["ACCOUNTCODE"]);
        Assert.Equal("112", m["Exten"]);
        Assert.Null(m["Missing"]);
    }

    [Fact]
    public void Repeated_keys_are_kept_in_order()
    {
        var m = Single("Event: VarSet\r\nVariable: A=1\r\nvariable: B=2\r\nVARIABLE: C=3\r\n\r\n");
        Assert.Equal(["A=1", "B=2", "C=3"], m.GetAll("Variable"));
        Assert.Equal("A=1", m["variable"]);
        Assert.Equal(4, m.Fields.Count);
    }

    [Fact]
    public void Bare_LF_line_endings_are_tolerated()
    {
        var frames = ParseAll("Asterisk Call Manager/12.0.0\nEvent: FullyBooted\nStatus: Fully Booted\n\nEvent: Ping\n\n");
        Assert.Equal([AmiFrameKind.Banner, AmiFrameKind.Message, AmiFrameKind.Message], frames.Select(f => f.Kind));
        Assert.Equal("Fully Booted", frames[1].Message!["Status"]);
    }

    [Fact]
    public void Blank_lines_between_messages_are_skipped()
    {
        var frames = ParseAll("\r\n\r\nEvent: A\r\n\r\n\r\n\r\nEvent: B\r\n\r\n");
        Assert.Equal(["A", "B"], frames.Select(f => f.Message!.EventName));
    }

    [Fact]
    public void Follows_body_runs_to_END_COMMAND_even_across_blank_and_colon_lines()
    {
        var m = Single("Response: Follows\r\nPrivilege: Command\r\nActionID: r112-3\r\nChannel              Location\nName: value\n\n2 active channels\n--END COMMAND--\r\n\r\n");

        Assert.Equal("Follows", m.ResponseStatus);
        Assert.Equal("r112-3", m.ActionId);
        Assert.Equal(["Channel              Location", "Name: value", "", "2 active channels"], m.Output);
    }

    [Fact]
    public void Follows_marker_glued_to_the_last_line_is_split_off()
    {
        var m = Single("Response: Follows\r\nActionID: r112-4\r\nlast line--END COMMAND--\r\n\r\n");
        Assert.Equal(["last line"], m.Output);
    }

    [Fact]
    public void Modern_command_output_lines_are_the_output()
    {
        var m = Single("Response: Success\r\nActionID: r112-5\r\nMessage: Command output follows\r\nOutput: Channel   State\r\nOutput: 0 active channels\r\n\r\n");
        Assert.Equal(["Channel   State", "0 active channels"], m.Output);
    }

    [Fact]
    public void Malformed_message_is_reported_with_position_and_skipped_and_the_next_one_parses()
    {
        const string good1 = "Event: A\r\n\r\n";
        const string bad = "Event: Broken\r\nthis line has no colon\r\nFoo: bar\r\n\r\n";
        var frames = ParseAll(good1 + bad + "Event: B\r\nX: 1\r\n\r\n");

        Assert.Equal([AmiFrameKind.Message, AmiFrameKind.Malformed, AmiFrameKind.Message], frames.Select(f => f.Kind));
        var malformed = frames[1];
        Assert.Equal(good1.Length + "Event: Broken\r\n".Length, malformed.Position);
        Assert.Contains("message #2, line 2", malformed.Error);
        Assert.Equal("this line has no colon", malformed.Excerpt);
        Assert.Equal("1", frames[2].Message!["X"]);
    }

    [Fact]
    public void Incomplete_message_waits_and_consumes_nothing()
    {
        var parser = new AmiFrameParser();
        var buffer = new ReadOnlySequence<byte>("Event: A\r\nX: 1\r\n"u8.ToArray());
        Assert.False(parser.TryParse(ref buffer, out _));
        Assert.Equal(16, buffer.Length);
        Assert.Equal(0, parser.Position);
    }

    [Fact]
    public void Message_over_the_size_limit_is_rejected_then_skipped_to_its_end()
    {
        var parser = new AmiFrameParser(maxMessageBytes: 256);
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("Event: Huge\r\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"Line{i}: xxxxxxxx\r\n"))));

        Assert.True(parser.TryParse(ref buffer, out var rejected));
        Assert.Equal(AmiFrameKind.Malformed, rejected.Kind);
        Assert.Contains("exceeds 256 bytes", rejected.Error);

        var rest = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("More: yyy\r\n\r\nEvent: After\r\n\r\n"));
        Assert.True(parser.TryParse(ref rest, out var next));
        Assert.Equal("After", next.Message!.EventName);
    }

    [Fact]
    public void Message_ToString_masks_the_secret()
    {
        var m = Single("Action: Login\r\nUsername: routing\r\nSecret: routing-secret\r\n\r\n");
        Assert.DoesNotContain("routing-secret", m.ToString());
        Assert.Contains("Secret: ****", m.ToString());
    }
}
