using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using System.Text;

namespace Routing.Engine.Tests.Text;

/// <summary>What a hostile or broken sender can do to the text desk: flood from one number, oversized bodies, control
/// characters and right-to-left overrides in the text and the From, messages from endpoints that are no gateway.
/// Each is recorded clearly and disturbs no other caller.</summary>
public sealed class TextHostileInputTests
{
    [Fact]
    public async Task A_flood_from_one_number_is_cut_at_the_limit_with_one_ledger_note_and_another_caller_is_served_meanwhile()
    {
        await using var text = await TextHarness.StartAsync(new() { ["Text:FloodLimit"] = "3", ["Text:FloodWindow"] = "00:10:00" }, login: false);
        for (var i = 0; i < 25; i++) text.Write($"spam {i}", "<sip:+77010000001@gw>");
        text.Write("Нужна скорая, Абая 1", "<sip:+77010000002@gw>");

        var flooder = await text.WaitForSessionAsync(s => s.GetProperty("number").GetString() == "+77010000001", "the flooder's session");
        var other = await text.WaitForSessionAsync(s => s.GetProperty("number").GetString() == "+77010000002", "the other caller's session");
        await text.WaitUntilAsync("the flood note", async () => (await text.StoryAsync(flooder)).Any(e => e.Kind == "text.flood"));
        await text.Harness.Engine.Host.Services.GetRequiredService<Routing.Engine.Text.TextService>().BarrierAsync();

        var story = await text.StoryAsync(flooder);
        Assert.Equal(3, story.Count(e => e.Kind == "text.in"));
        var note = Assert.Single(story, e => e.Kind == "text.flood");
        Assert.Equal("more than 3 messages within 00:10:00 from +77010000001: the rest of this window is dropped unread", note.Detail);
        Assert.Contains(await text.StoryAsync(other), e => e.Kind == "text.in" && e.Detail == "#1: Нужна скорая, Абая 1");
    }

    [Fact]
    public async Task Oversized_bodies_and_control_or_right_to_left_characters_in_text_and_From_are_cleaned_and_noted()
    {
        await using var text = await TextHarness.StartAsync(); // a call-taker is on: the session waits, nothing is copied to an agency
        var huge = "Абая 10 " + new string('я', 50_000);
        text.Write(huge + "\u202E01 яабА\u0000\u001B[31m", "\"\u202EGod\u0007\" <sip:+77010000003@gw>");

        var id = await text.WaitForSessionAsync(s => s.GetProperty("number").GetString() == "+77010000003", "the session");
        var session = await text.SessionAsync(id);
        Assert.Equal("God", session.GetProperty("name").GetString());
        var first = session.GetProperty("messages")[0].GetProperty("text").GetString()!;
        Assert.Equal(2000, first.Length);
        Assert.StartsWith("Абая 10 ", first, StringComparison.Ordinal);
        // The session is the engine's memory; the story is the ledger, committed a moment later on a busy box.
        await text.WaitUntilAsync("the cleaning note on the ledger", async () => (await text.StoryAsync(id)).Any(e => e.Kind == "text.cleaned"));
        var cleaned = Assert.Single(await text.StoryAsync(id), e => e.Kind == "text.cleaned");
        Assert.Contains("From name cleaned", cleaned.Detail, StringComparison.Ordinal);
        Assert.Contains("cut to 2000 characters", cleaned.Detail, StringComparison.Ordinal);

        text.Write("\u202Eвнутри\u202C\u0007 x", "<sip:+77010000003@gw>");
        await text.WaitUntilAsync("the second message", async () => (await text.SessionAsync(id)).GetProperty("messages").GetArrayLength() >= 2);
        var second = (await text.SessionAsync(id)).GetProperty("messages")[1].GetProperty("text").GetString();
        Assert.Equal("внутри x", second);
    }

    [Fact]
    public async Task A_message_from_an_endpoint_that_is_no_gateway_opens_nothing_and_disturbs_no_session()
    {
        await using var text = await TextHarness.StartAsync(); // a call-taker is on: the session waits, not with any agency
        text.Write("real caller", "<sip:+77010000004@gw>");
        var id = await text.WaitForSessionAsync(_ => true, "the real caller's session");

        // Someone else subscribed our app to another endpoint; Asterisk then sends us its messages too.
        using (var http = new HttpClient { BaseAddress = text.Asterisk.AriBaseUrl })
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("routing:routing-secret")));
            var subscribe = await http.PostAsync("applications/routing112/subscription?eventSource=endpoint:PJSIP/stranger", null);
            Assert.True(subscribe.IsSuccessStatusCode, $"subscribe: {subscribe.StatusCode}");
        }

        Assert.Equal(Routing.Simulator.TextDelivery.ToApp, text.Write("fake emergency", "<sip:+77010000005@gw>", endpoint: "stranger"));
        // A message from an agency desk about a session that is not theirs is not relayed to any caller.
        text.Write("to nobody", "<sip:police@gw>", new Dictionary<string, string> { ["X-Text-Session"] = id }, "police-text");
        await text.Harness.Engine.Host.Services.GetRequiredService<Routing.Engine.Text.TextService>().BarrierAsync();

        var sessions = await text.SessionsAsync();
        Assert.Equal([id], sessions.Select(s => s.GetProperty("sessionId").GetString()));
        Assert.DoesNotContain(text.Asterisk.SentMessages, m => m.Body.Contains("to nobody", StringComparison.Ordinal));
        Assert.Equal(["in"], (await text.SessionAsync(id)).GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("direction").GetString()));
    }

    [Fact]
    public async Task Before_the_engine_subscribes_a_MESSAGE_reaches_only_the_dialplan_as_recorded()
    {
        await using var asterisk = await Routing.Simulator.SimulatedAsterisk.StartAsync(new Routing.Simulator.SimulatorOptions { TextEndpoints = { "appgw" } }, CancellationToken.None);
        Assert.Equal(Routing.Simulator.TextDelivery.DialplanOnly, asterisk.SendTextMessage("appgw", "<sip:+7701@gw>", "hello"));
        Assert.Equal(Routing.Simulator.TextDelivery.NoEndpoint, asterisk.SendTextMessage("nobody", "<sip:+7701@gw>", "hello"));
    }
}
