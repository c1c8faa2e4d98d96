using Routing.Calls.Text;

namespace Routing.Calls.Tests.Text;

/// <summary>A session an earlier run left open, rebuilt from its own ledger events (the engine's only durable state).</summary>
public sealed class TextSessionRestoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 11, 0, 0, TimeSpan.Zero);

    private static readonly TextGatewayOptions Gateway = new() { Endpoint = "PJSIP/appgw", Entry = CallEntry.App };

    private static TextSession? Restore(params (string Kind, string Detail)[] events) =>
        TextSession.Restore("txt-1", "app", Gateway, "+77011234567", T0, events.Select((e, i) => new TextLedgerEvent(e.Kind, e.Detail, T0.AddSeconds(i))));

    [Fact]
    public void A_session_a_call_taker_classified_comes_back_with_its_transcript_holder_classification_and_last_activity()
    {
        var s = Restore(
            ("text.opened", "from +77011234567 (Айгуль) at PJSIP/appgw, region almaty, language kk"),
            ("text.in", "#1: Көмектесіңіз: өрт!"),
            ("queue.entered", "region almaty, entry App, language kk"),
            ("text.accepted", "by calltaker-1 (aigul) after 3 s"),
            ("text.out", "#2 by calltaker-1 (aigul): Қайдасыз?"),
            ("classified", "by calltaker-1 (aigul): Emergency / fire / flat fire"))!;

        Assert.Equal((TextSessionState.WithCallTaker, "calltaker-1", "aigul"), (s.State, s.CallTaker, s.CallTakerUser));
        Assert.Equal((ClassificationKind.Emergency, "fire"), (s.Kind, s.Agency));
        Assert.Equal(("almaty", "kk", "PJSIP/appgw", CallEntry.App), (s.Region, s.Language, s.Endpoint, s.Entry));
        Assert.Equal(["Көмектесіңіз: өрт!", "Қайдасыз?"], s.Messages.Select(m => m.Text));
        Assert.Equal(["+77011234567", "calltaker-1"], s.Messages.Select(m => m.Author));
        Assert.Equal(T0.AddSeconds(5), s.LastActivity);

        Assert.Null(s.Requeue(T0.AddMinutes(1)));
        Assert.Equal((TextSessionState.Waiting, null), (s.State, s.CallTaker));
        Assert.Equal(ClassificationKind.Emergency, s.Kind);
    }

    [Fact]
    public void A_session_with_an_agency_stays_with_it_and_its_next_message_is_numbered_after_the_old_ones()
    {
        var s = Restore(
            ("text.opened", "from +77011234567 at PJSIP/appgw, region almaty, language ru"),
            ("text.in", "#1: Помогите"),
            ("text.transferred", "to police (fallback: no-one-staffed)"),
            ("text.agency", "#2 to police (1/1): 112 text session txt-1 …"),
            ("text.out", "#3 by engine: передано"),
            ("text.out", "#4 by agency police: Патруль в пути"))!;

        Assert.Equal((TextSessionState.WithAgency, "police", ClassificationKind.Emergency), (s.State, s.Agency, s.Kind));
        Assert.Equal(["+77011234567", "engine", "engine", "agency:police"], s.Messages.Select(m => m.Author));
        Assert.Equal(5, s.Received("ещё", T0.AddMinutes(1)).Seq);
        Assert.Null(s.Close(null, "idle", T0.AddHours(1)));
        Assert.Equal(CallOutcome.Completed, s.Outcome);
    }

    [Fact]
    public void A_session_that_had_ended_is_not_restored_and_unreadable_details_change_nothing()
    {
        Assert.Null(Restore(("text.in", "#1: a"), ("outcome", "Prank")));

        var s = Restore(
            ("text.opened", "garbage"),
            ("text.in", "no number"),
            ("text.accepted", "nobody"),
            ("classified", "by x: NotAKind"),
            ("text.transferred", "nowhere"),
            ("text.out", "#x"))!;

        Assert.Equal((TextSessionState.Waiting, null, null, "", null), (s.State, s.Kind, s.Agency, s.Region, s.Language));
        Assert.Empty(s.Messages);
        Assert.Null(s.Close(null, "idle", T0.AddHours(1)));
        Assert.Equal(CallOutcome.AbandonedInQueue, s.Outcome);
    }
}
