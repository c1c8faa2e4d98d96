using System.Text;
using Routing.Asterisk.Ari;

namespace Routing.Asterisk.Tests.Ari;

/// <summary>Timestamps read straight from the frame's bytes mean what the string reader made of them,
/// in every form Asterisk or a hand-written frame may use.</summary>
public class AriTimestampTests
{
    private static DateTimeOffset Read(string jsonString) =>
        ((StasisEnd)AriEventParser.Parse(Encoding.UTF8.GetBytes(
            "{\"type\":\"StasisEnd\",\"timestamp\":" + jsonString + ",\"channel\":{\"id\":\"1\",\"name\":\"n\",\"state\":\"Up\"}}"))).Timestamp;

    [Theory]
    [InlineData("\"2026-11-24T02:13:02.214+0000\"", 2, 13, 2, 214, 0)]
    [InlineData("\"2026-11-24T07:43:02.214+0530\"", 2, 13, 2, 214, 330)]
    [InlineData("\"2026-11-23T22:13:02.214-0400\"", 2, 13, 2, 214, -240)]
    [InlineData("\"2026-11-24T02:13:02.214+00:00\"", 2, 13, 2, 214, 0)]
    [InlineData("\"2026-11-24T02:13:02.214Z\"", 2, 13, 2, 214, 0)]
    [InlineData("\"2026-11-24T02:13:02\"", 2, 13, 2, 0, 0)]
    // An escaped '+' takes the string path and still reads the same instant.
    [InlineData("\"2026-11-24T02:13:02.214\\u002B0000\"", 2, 13, 2, 214, 0)]
    public void Every_form_reads_the_same_instant(string json, int hour, int minute, int second, int ms, int offsetMinutes)
    {
        var read = Read(json);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, hour, minute, second, ms, TimeSpan.Zero), read.ToUniversalTime());
        Assert.Equal(TimeSpan.FromMinutes(offsetMinutes), read.Offset);
    }

    [Theory]
    [InlineData("\"yesterday\"")]
    [InlineData("\"2026-11-24T02:13:02.214+0000 and a very long tail that is no timestamp at all\"")]
    [InlineData("\"2026-13-24T02:13:02.214+0000\"")]
    public void A_bad_timestamp_is_named_with_its_text(string json)
    {
        var ex = Assert.Throws<AriFrameException>(() => Read(json));
        Assert.Contains("$.timestamp", ex.Message);
        Assert.Contains("is not an Asterisk timestamp", ex.Message);
    }

    [Fact]
    public void The_span_and_string_forms_agree()
    {
        Assert.True(AriTimestampConverter.TryParse("2026-11-24T02:13:02.214+0000", out var fromString));
        Assert.True(AriTimestampConverter.TryParse("2026-11-24T02:13:02.214+0000".AsSpan(), out var fromSpan));
        Assert.Equal(fromString, fromSpan);
        Assert.False(AriTimestampConverter.TryParse("+0000".AsSpan(), out _));
    }
}
