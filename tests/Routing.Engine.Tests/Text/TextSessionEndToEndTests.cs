using System.Net;
using Routing.Simulator;

namespace Routing.Engine.Tests.Text;

/// <summary>
/// A text call from the police app end to end over loopback: the caller's MESSAGEs reach the engine only because it
/// subscribed the gateway endpoint, the session queues in the centre like a voice call, is offered in the console,
/// accepted, answered, classified and handed to the police's text desk, which gets the transcript and the later
/// messages and can write back; every step is on the session's record.
/// </summary>
public sealed class TextSessionEndToEndTests
{
    [Fact]
    public async Task A_text_call_is_queued_accepted_answered_classified_handed_to_the_agency_and_closed_all_on_record()
    {
        await using var text = await TextHarness.StartAsync();

        Assert.Equal(TextDelivery.ToApp, text.Write("Помогите! Пожар: Алматы, пр. Абая 10, кв. 5."));
        var id = await text.WaitForSessionAsync(s => s.GetProperty("number").GetString() == TextHarness.Caller, "the caller's session");
        await text.WaitOfferedAsync(id);

        await text.AcceptedAsync(id, "accept");
        await text.WaitForStateAsync(id, "WithCallTaker");
        await text.AcceptedAsync(id, "reply", new { text = "112: Где вы сейчас? Все ли вышли из квартиры?" });
        await text.WaitUntilAsync("the reply to reach the caller", () => Task.FromResult(text.SentTo(TextHarness.CallerTo).Count == 1));
        var reply = text.SentTo(TextHarness.CallerTo)[0];
        Assert.Equal("112: Где вы сейчас? Все ли вышли из квартиры?", reply.Body);
        Assert.Equal("\"112\" <sip:112@127.0.0.1>", reply.From);
        Assert.Equal(id, reply.Variables["X-Text-Session"]);

        text.Write("Да, все вышли. Дым из окна 5 этажа.");
        await text.WaitUntilAsync("the second message", async () => (await text.SessionAsync(id)).GetProperty("messages").GetArrayLength() == 3);

        await text.AcceptedAsync(id, "classify", new { kind = "emergency", agency = "police", incidentType = "fire in a flat" });
        await text.AcceptedAsync(id, "transfer", new { agency = "police" });
        await text.WaitForStateAsync(id, "WithAgency");
        await text.WaitUntilAsync("the transcript at the police desk", () => Task.FromResult(text.SentTo("pjsip:police-text").Count >= 1));
        var transcript = string.Join("\n", text.SentTo("pjsip:police-text").Select(m => m.Body));
        Assert.Contains(id, transcript, StringComparison.Ordinal);
        Assert.Contains(TextHarness.Caller, transcript, StringComparison.Ordinal);
        Assert.Contains("caller: Помогите! Пожар: Алматы, пр. Абая 10, кв. 5.", transcript, StringComparison.Ordinal);
        Assert.Contains("112: 112: Где вы сейчас?", transcript, StringComparison.Ordinal);
        Assert.Contains("caller: Да, все вышли.", transcript, StringComparison.Ordinal);
        Assert.All(text.SentTo("pjsip:police-text"), m => Assert.Equal(id, m.Variables["X-Text-Session"]));
        // The call-taker is free again once the agency has it (WrapUp 0).
        await text.WaitUntilAsync("calltaker-1 available", async () => await text.Api.StateOfAsync("calltaker-1") == "Available");

        text.Write("Пожарные приехали?");
        await text.WaitUntilAsync("the later message forwarded to the police", () => Task.FromResult(text.SentTo("pjsip:police-text").Any(m => m.Body.EndsWith("caller: Пожарные приехали?", StringComparison.Ordinal))));
        Assert.Equal(TextDelivery.ToApp, text.Write("Патруль в пути, 3 минуты.", "<sip:police@127.0.0.1>", new Dictionary<string, string> { ["X-Text-Session"] = id }, "police-text"));
        await text.WaitUntilAsync("the agency's answer at the caller", () => Task.FromResult(text.SentTo(TextHarness.CallerTo).Any(m => m.Body == "Патруль в пути, 3 минуты.")));

        await text.AcceptedAsync(id, "close", new { reason = "handed over" });
        await text.WaitForStateAsync(id, "Closed");
        var story = await text.StoryAsync(id);
        var kinds = story.Select(e => e.Kind).ToList();
        Assert.Equal(3, kinds.Count(k => k == "text.in"));
        Assert.Contains(("queue.entered", "region almaty, entry App"), story.Select(e => (e.Kind, e.Detail.Split(", language")[0])));
        Assert.Contains("offer", kinds);
        Assert.Contains("text.accepted", kinds);
        Assert.Contains(story, e => e.Kind == "text.out" && e.Detail.Contains("by calltaker-1 (aigerim): 112: Где вы сейчас?", StringComparison.Ordinal));
        Assert.Contains(story, e => e.Kind == "classified" && e.Detail.Contains("Emergency / police / fire in a flat", StringComparison.Ordinal));
        Assert.Contains(story, e => e.Kind == "text.transferred" && e.Detail == "to police by calltaker-1 (aigerim)");
        Assert.Contains(story, e => e.Kind == "text.agency");
        Assert.Contains(story, e => e.Kind == "text.out" && e.Detail.Contains("by agency police: Патруль в пути", StringComparison.Ordinal));
        Assert.Equal(("outcome", "Completed"), story.Last(e => e.Kind.StartsWith("text.", StringComparison.Ordinal) || e.Kind == "outcome"));
        // Write before act: each message is on record before the centre hears of the session or it is sent on.
        Assert.True(kinds.IndexOf("text.in") < kinds.IndexOf("queue.entered"));
        Assert.True(kinds.IndexOf("text.transferred") < kinds.IndexOf("text.agency"));
    }

    [Fact]
    public async Task A_caller_who_writes_after_the_close_opens_a_new_session_linked_to_the_old_one()
    {
        await using var text = await TextHarness.StartAsync();
        text.Write("Ошиблась номером");
        var first = await text.WaitForSessionAsync(s => s.GetProperty("number").GetString() == TextHarness.Caller, "the first session");
        await text.WaitOfferedAsync(first);
        await text.AcceptedAsync(first, "accept");
        await text.WaitForStateAsync(first, "WithCallTaker");
        await text.AcceptedAsync(first, "classify", new { kind = "nonEmergency" });
        await text.AcceptedAsync(first, "close", new { reason = "wrong number" });
        await text.WaitForStateAsync(first, "Closed");

        text.Write("Нет, всё-таки нужна помощь");
        var second = await text.WaitForSessionAsync(s => s.GetProperty("sessionId").GetString() != first && s.GetProperty("number").GetString() == TextHarness.Caller, "a new session");
        Assert.Equal(first, (await text.SessionAsync(second)).GetProperty("previousSessionId").GetString());
        Assert.Contains(await text.StoryAsync(second), e => e.Kind == "text.linked" && e.Detail == $"follows closed session {first}");
        Assert.Contains(await text.StoryAsync(first), e => e.Kind == "outcome" && e.Detail == "NonEmergency");
        Assert.Contains(await text.StoryAsync(first), e => e.Kind == "text.followed");
    }

    [Fact]
    public async Task A_waiting_session_nobody_writes_in_closes_idle_with_a_reason_and_its_offer_is_withdrawn()
    {
        await using var text = await TextHarness.StartAsync(new() { ["Text:IdleTimeout"] = "00:00:01" });
        text.Write("?");
        var id = await text.WaitForSessionAsync(_ => true, "the session");
        await text.WaitForStateAsync(id, "Closed");
        var story = await text.StoryAsync(id);
        Assert.Contains(story, e => e.Kind == "text.closed" && e.Detail.StartsWith("idle: no message for 00:00:01", StringComparison.Ordinal));
        Assert.Contains(("outcome", "AbandonedInQueue"), story);
        await text.WaitUntilAsync("calltaker-1 available again", async () => await text.Api.StateOfAsync("calltaker-1") == "Available");
        Assert.Equal(0, await text.Api.WaitingAsync());
    }

    [Fact]
    public async Task With_nobody_staffed_the_session_goes_to_the_fallback_agencys_text_desk_and_the_caller_is_told()
    {
        await using var text = await TextHarness.StartAsync(login: false);
        text.Write("Көмек керек! Өрт!");
        var id = await text.WaitForSessionAsync(_ => true, "the session");
        await text.WaitForStateAsync(id, "WithAgency");
        await text.WaitUntilAsync("the transcript at the police desk", () => Task.FromResult(text.SentTo("pjsip:police-text").Count >= 1));
        Assert.Contains("caller: Көмек керек! Өрт!", text.SentTo("pjsip:police-text")[0].Body, StringComparison.Ordinal);
        Assert.Contains("no call-taker was free", text.SentTo("pjsip:police-text")[0].Body, StringComparison.Ordinal);
        await text.WaitUntilAsync("the caller's notice", () => Task.FromResult(text.SentTo(TextHarness.CallerTo).Count == 1));
        Assert.Contains("police қызметіне берілді", text.SentTo(TextHarness.CallerTo)[0].Body, StringComparison.Ordinal); // written in Kazakh
        var story = await text.StoryAsync(id);
        Assert.Contains(story, e => e.Kind == "queue.gaveup" && e.Detail == "no-one-staffed: to the text fallback agency");
        Assert.Contains(story, e => e.Kind == "text.transferred" && e.Detail == "to police (fallback: no-one-staffed)");
    }

    [Fact]
    public async Task Only_the_call_taker_it_is_offered_to_may_accept_and_only_its_holder_may_reply()
    {
        await using var text = await TextHarness.StartAsync();
        text.Write("help");
        var id = await text.WaitForSessionAsync(_ => true, "the session");
        await text.WaitOfferedAsync(id);

        Assert.Equal(HttpStatusCode.Conflict, (await text.ActAsync(id, "reply", new { text = "hi" })).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await text.ActAsync(id, "accept", user: "nobody")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await text.Api.PostAsync("supervisor", $"/api/texts/{id}/accept", null, "supervisor")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await text.ActAsync("txt-nope", "reply", new { text = "hi" })).Status);
        await text.AcceptedAsync(id, "accept");
        await text.WaitForStateAsync(id, "WithCallTaker");
        Assert.Equal(HttpStatusCode.Conflict, (await text.ActAsync(id, "accept")).Status);
        var bad = await text.ActAsync(id, "reply", new { text = "a\u0007b" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Contains("control characters", bad.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await text.ActAsync(id, "reply", new { text = new string('x', 501) })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await text.ActAsync(id, "transfer", new { agency = "ambulance" })).Status); // no text desk
        var close = await text.ActAsync(id, "close");
        Assert.Equal(HttpStatusCode.Conflict, close.Status);
        Assert.Contains("classify it before closing", close.Message, StringComparison.Ordinal);
        Assert.Empty(text.SentTo(TextHarness.CallerTo));
    }
}
