using System.Text;
using Routing.Calls.Text;

namespace Routing.Calls.Tests.Text;

public sealed class TextBodyTests
{
    [Fact]
    public void Right_to_left_overrides_zero_width_and_control_characters_are_removed_and_noted()
    {
        var clean = TextBody.Clean("Fire at \u202Eeunava\u202C 10\u200B\u0000\u001B[2J\nflat 5", 200);
        Assert.Equal("Fire at eunava 10[2J\nflat 5", clean.Text);
        Assert.Contains(clean.Notes, n => n.Contains("control", StringComparison.Ordinal));
        Assert.Contains(clean.Notes, n => n.Contains("right-to-left", StringComparison.Ordinal));
    }

    [Fact]
    public void An_oversized_body_is_cut_without_splitting_an_emoji()
    {
        var clean = TextBody.Clean(new string('a', 9) + "🔥🔥", 10);
        Assert.Equal(new string('a', 9), clean.Text);
        Assert.Contains(clean.Notes, n => n.StartsWith("cut to 10", StringComparison.Ordinal));
        Assert.Equal("🔥", TextBody.Clean("🔥", 2).Text);
    }

    [Fact]
    public void A_clean_body_has_no_notes()
    {
        var clean = TextBody.Clean("Помогите! Пожар: Астана, пр. Абая 10, кв. 5. Help, fire!", 2000);
        Assert.Empty(clean.Notes);
    }

    [Fact]
    public void Long_texts_split_into_parts_that_fit_one_SIP_MESSAGE()
    {
        var text = string.Join(' ', Enumerable.Repeat("Пожар на Абая", 200));
        var parts = TextBody.Split(text, 900);
        Assert.True(parts.Count > 1);
        Assert.All(parts, p => Assert.True(Encoding.UTF8.GetByteCount(p) <= 900));
        Assert.Equal(text.Replace(" ", "", StringComparison.Ordinal), string.Concat(parts).Replace(" ", "", StringComparison.Ordinal));
        Assert.Equal(["short"], TextBody.Split("short", 900));
    }

    [Theory]
    [InlineData("\"Text Sender\" <sip:texter@127.0.0.1>", "", "Text Sender")]
    [InlineData("<sip:+77019998877@appgw.example;user=phone>;tag=abc", "+77019998877", "")]
    [InlineData("\"Ivan\u202E\" <sip:+7 701 999-88-77@gw>", "+77019998877", "Ivan")]
    [InlineData("<sip:1;drop table calls@gw>", "", "")]
    [InlineData("garbage without uri", "", "")]
    [InlineData("", "", "")]
    public void The_sender_number_is_the_From_users_number_or_nothing(string from, string number, string name)
    {
        var sender = TextSender.Parse(from);
        Assert.Equal(number, sender.Number);
        Assert.Equal(name, sender.Name);
    }

    [Fact]
    public void A_huge_From_is_cut_and_noted()
    {
        var sender = TextSender.Parse("\"" + new string('x', 100_000) + "\" <sip:+7701@gw>");
        Assert.Contains(sender.Notes, n => n.Contains("cut to 512", StringComparison.Ordinal));
    }
}
