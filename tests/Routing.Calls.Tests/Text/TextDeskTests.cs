using Routing.Calls.Text;

namespace Routing.Calls.Tests.Text;

public sealed class TextDeskTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 11, 0, 0, TimeSpan.Zero);

    private static readonly TextGatewayOptions App = new() { Endpoint = "PJSIP/appgw" };

    private static TextOptions Options(Action<TextOptions>? change = null)
    {
        var options = new TextOptions { FloodLimit = 3, FloodWindow = TimeSpan.FromMinutes(1), IdleTimeout = TimeSpan.FromMinutes(5), MaxBodyLength = 200 };
        change?.Invoke(options);
        return options;
    }

    private static int ids;

    private static string NewId() => $"txt-{Interlocked.Increment(ref ids)}";

    private static TextArrival Receive(TextDesk desk, string from, string body, DateTimeOffset at, string? language = null) =>
        desk.Receive("app", App, TextSender.Parse(from), body, language, "almaty", at, NewId);

    [Fact]
    public void A_first_message_opens_a_session_and_the_next_ones_join_it()
    {
        var desk = new TextDesk(Options());
        var first = Assert.IsType<TextArrival.Accepted>(Receive(desk, "<sip:+77011234567@gw>", "Пожар на Абая 10", T0));
        var second = Assert.IsType<TextArrival.Accepted>(Receive(desk, "\"Ivan\" <sip:+77011234567@gw>;tag=1", "кв. 5", T0.AddSeconds(5)));

        Assert.True(first.Opened);
        Assert.False(second.Opened);
        Assert.Same(first.Session, second.Session);
        Assert.Equal("+77011234567", first.Session.Number);
        Assert.Equal("ru", first.Session.Language);
        Assert.Equal(["Пожар на Абая 10", "кв. 5"], first.Session.Messages.Select(m => m.Text));
    }

    [Fact]
    public void Two_numbers_are_two_sessions()
    {
        var desk = new TextDesk(Options());
        var a = Assert.IsType<TextArrival.Accepted>(Receive(desk, "<sip:+77011111111@gw>", "a", T0));
        var b = Assert.IsType<TextArrival.Accepted>(Receive(desk, "<sip:+77012222222@gw>", "b", T0));
        Assert.NotEqual(a.Session.Id, b.Session.Id);
        Assert.Equal(2, desk.OpenCount);
    }

    [Fact]
    public void A_caller_who_writes_after_the_close_gets_a_new_session_linked_to_the_old_one()
    {
        var desk = new TextDesk(Options());
        var old = Assert.IsType<TextArrival.Accepted>(Receive(desk, "<sip:+77011234567@gw>", "help", T0)).Session;
        Assert.Null(old.Close(null, "idle", T0.AddMinutes(5)));
        desk.Closed(old);

        var again = Assert.IsType<TextArrival.Accepted>(Receive(desk, "<sip:+77011234567@gw>", "still here", T0.AddMinutes(6)));
        Assert.True(again.Opened);
        Assert.NotEqual(old.Id, again.Session.Id);
        Assert.Equal(old.Id, again.Session.PreviousId);
    }

    [Fact]
    public void A_flood_from_one_number_is_dropped_and_noted_once_per_window_while_others_write_on()
    {
        var desk = new TextDesk(Options());
        for (var i = 0; i < 3; i++) Assert.IsType<TextArrival.Accepted>(Receive(desk, "<sip:+77010000001@gw>", $"m{i}", T0));

        var firstDrop = Assert.IsType<TextArrival.Flooded>(Receive(desk, "<sip:+77010000001@gw>", "m3", T0.AddSeconds(1)));
        var secondDrop = Assert.IsType<TextArrival.Flooded>(Receive(desk, "<sip:+77010000001@gw>", "m4", T0.AddSeconds(2)));
        var other = Receive(desk, "<sip:+77010000002@gw>", "a real emergency", T0.AddSeconds(2));
        var nextWindow = Receive(desk, "<sip:+77010000001@gw>", "after a minute", T0.AddMinutes(1));

        Assert.True(firstDrop.FirstInWindow);
        Assert.False(secondDrop.FirstInWindow);
        Assert.Equal(2, secondDrop.Dropped);
        Assert.NotNull(firstDrop.SessionId);
        Assert.IsType<TextArrival.Accepted>(other);
        Assert.IsType<TextArrival.Accepted>(nextWindow);
        Assert.Equal(4, desk.Find(firstDrop.SessionId!)!.Messages.Count);
    }

    [Fact]
    public void New_callers_beyond_the_open_session_limit_are_refused_but_open_sessions_go_on()
    {
        var desk = new TextDesk(Options(o => o.MaxOpenSessions = 1));
        Assert.IsType<TextArrival.Accepted>(Receive(desk, "<sip:+77010000001@gw>", "a", T0));
        Assert.IsType<TextArrival.Full>(Receive(desk, "<sip:+77010000002@gw>", "b", T0));
        Assert.IsType<TextArrival.Accepted>(Receive(desk, "<sip:+77010000001@gw>", "c", T0));
    }

    [Fact]
    public void Sessions_go_idle_after_the_configured_time_without_a_message()
    {
        var desk = new TextDesk(Options());
        var s = Assert.IsType<TextArrival.Accepted>(Receive(desk, "<sip:+77011234567@gw>", "help", T0)).Session;
        Assert.Empty(desk.Idle(T0.AddMinutes(4)));
        Assert.Equal(T0.AddMinutes(5), desk.NextIdleAt);
        Assert.Equal([s], desk.Idle(T0.AddMinutes(5)));
    }

    [Fact]
    public void A_body_of_only_control_and_formatting_characters_is_dropped_with_a_reason()
    {
        var desk = new TextDesk(Options());
        var empty = Assert.IsType<TextArrival.Empty>(Receive(desk, "<sip:+77011234567@gw>", "\u0007\u202E\u200B", T0));
        Assert.Contains(empty.Notes, n => n.Contains("empty after cleaning", StringComparison.Ordinal));
        Assert.Equal(0, desk.OpenCount);
    }

    [Fact]
    public void The_language_comes_from_the_message_header_then_the_gateway_then_the_script()
    {
        var desk = new TextDesk(Options());
        Assert.Equal("en", Assert.IsType<TextArrival.Accepted>(Receive(desk, "<sip:+1@gw>", "Пожар", T0, language: "EN")).Session.Language);
        Assert.Equal("kk", Assert.IsType<TextArrival.Accepted>(Receive(desk, "<sip:+2@gw>", "Көмек керек, өрт!", T0)).Session.Language);
        Assert.Equal("en", Assert.IsType<TextArrival.Accepted>(Receive(desk, "<sip:+3@gw>", "Help, fire!", T0)).Session.Language);
        var kk = new TextDesk(Options());
        var session = kk.Receive("app", new TextGatewayOptions { Endpoint = "PJSIP/appgw", Language = "kk" }, TextSender.Parse("<sip:+4@gw>"), "Help", null, "almaty", T0, NewId);
        Assert.Equal("kk", Assert.IsType<TextArrival.Accepted>(session).Session.Language);
    }
}
