using System.Text;
using Routing.Asterisk.Ari;

namespace Routing.Asterisk.Tests.Ari;

/// <summary>Frames that are not events are rejected with a message that says what is wrong, and an excerpt.</summary>
public class AriEventParserMalformedTests
{
    private static AriFrameException Reject(string frame) =>
        Assert.Throws<AriFrameException>(() => AriEventParser.Parse(Encoding.UTF8.GetBytes(frame)));

    [Fact]
    public void Not_json_is_named_as_such()
    {
        var ex = Reject("{\"type\":\"StasisStart\",oops");
        Assert.Contains("not valid JSON", ex.Message);
        Assert.Contains("{\"type\":\"StasisStart\",oops", ex.Excerpt);
    }

    [Fact]
    public void Garbage_bytes_are_not_json()
    {
        var ex = Reject("\u0001\u0002garbage");
        Assert.Contains("not valid JSON", ex.Message);
        Assert.DoesNotContain('\u0001', ex.Excerpt);
    }

    [Fact]
    public void An_array_is_not_an_event() => Assert.Contains("not a JSON object", Reject("[1,2]").Message);

    [Fact]
    public void Empty_frame_is_rejected() => Assert.Contains("empty", Reject("").Message);

    [Fact]
    public void Missing_type_is_named() => Assert.Contains("no \"type\"", Reject("{\"timestamp\":\"2026-11-24T02:13:02.214+0000\"}").Message);

    [Fact]
    public void Type_that_is_not_a_string_is_named() => Assert.Contains("\"type\" that is a Number", Reject("{\"type\":42}").Message);

    [Fact]
    public void Bad_field_names_event_and_json_path()
    {
        var ex = Reject("{\"type\":\"ChannelDtmfReceived\",\"timestamp\":\"2026-11-24T02:13:04.361+0000\",\"digit\":\"5\",\"duration_ms\":\"long\",\"channel\":{\"id\":\"1\",\"name\":\"n\",\"state\":\"Up\"}}");
        Assert.Contains("'ChannelDtmfReceived'", ex.Message);
        Assert.Contains("$.duration_ms", ex.Message);
    }

    [Fact]
    public void Missing_required_channel_is_rejected_not_half_filled()
    {
        var ex = Reject("{\"type\":\"StasisStart\",\"timestamp\":\"2026-11-24T02:13:04.361+0000\",\"args\":[]}");
        Assert.Contains("'StasisStart'", ex.Message);
        Assert.Contains("channel", ex.Message);
    }

    [Fact]
    public void Null_channel_id_is_rejected()
    {
        var ex = Reject("{\"type\":\"StasisEnd\",\"timestamp\":\"2026-11-24T02:13:04.361+0000\",\"channel\":{\"id\":null,\"name\":\"n\",\"state\":\"Up\"}}");
        Assert.Contains("'StasisEnd'", ex.Message);
    }

    [Fact]
    public void Bad_timestamp_is_named()
    {
        var ex = Reject("{\"type\":\"StasisEnd\",\"timestamp\":\"yesterday\",\"channel\":{\"id\":\"1\",\"name\":\"n\",\"state\":\"Up\"}}");
        Assert.Contains("$.timestamp", ex.Message);
        Assert.Contains("yesterday", ex.Message);
    }

    [Fact]
    public void Trailing_garbage_after_the_object_is_rejected() =>
        Reject("{\"type\":\"ApplicationReplaced\",\"timestamp\":\"2026-11-24T02:13:04.361+0000\"} trailing");

    [Fact]
    public void Long_frames_are_excerpted_not_copied_whole()
    {
        var ex = Reject("{\"type\":\"StasisStart\", " + new string('x', 5000));
        Assert.True(ex.Excerpt.Length < 200, $"excerpt of {ex.Excerpt.Length} chars");
        Assert.EndsWith("…", ex.Excerpt);
    }

    [Fact]
    public void Unknown_event_type_is_kept_with_its_raw_json()
    {
        const string frame = "{\"type\":\"ChannelTransfer\",\"timestamp\":\"2026-11-24T02:13:04.361+0000\",\"state\":\"requested\",\"refer_to\":{\"requested_destination\":{\"destination\":\"104\"}},\"application\":\"routing112\",\"asterisk_id\":\"02:fc:00:00:00:01\"}";

        var evt = Assert.IsType<UnknownAriEvent>(AriEventParser.Parse(Encoding.UTF8.GetBytes(frame)));

        Assert.Equal("ChannelTransfer", evt.Type);
        Assert.Equal("routing112", evt.Application);
        Assert.Equal("02:fc:00:00:00:01", evt.AsteriskId);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 2, 13, 4, 361, TimeSpan.Zero), evt.Timestamp);
        Assert.Equal("104", evt.Raw.GetProperty("refer_to").GetProperty("requested_destination").GetProperty("destination").GetString());
        Assert.Equal(frame, AriEventParser.Serialize(evt));
    }
}
