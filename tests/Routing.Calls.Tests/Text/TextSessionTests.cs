using Routing.Calls.Text;

namespace Routing.Calls.Tests.Text;

public sealed class TextSessionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 11, 0, 0, TimeSpan.Zero);

    private static TextSession NewSession() =>
        new("txt-1", "app", "PJSIP/appgw", TextSender.Parse("<sip:+77011234567@gw>"), "almaty", "ru", CallEntry.App, null, T0);

    [Fact]
    public void Accepted_classified_handed_over_and_closed_is_Completed()
    {
        var s = NewSession();
        Assert.Null(s.Accept("calltaker-1", "aigul", T0));
        Assert.Null(s.Classify("calltaker-1", ClassificationKind.Emergency, "police", "theft", null));
        Assert.Null(s.HandOver("calltaker-1", "police", T0));
        Assert.Null(s.Close("calltaker-1", "done", T0));
        Assert.Equal(CallOutcome.Completed, s.Outcome);
    }

    [Fact]
    public void Only_the_holding_call_taker_writes_classifies_or_closes()
    {
        var s = NewSession();
        Assert.Contains("Waiting", s.MayWrite("calltaker-1"), StringComparison.Ordinal);
        s.Accept("calltaker-1", "aigul", T0);
        Assert.Contains("with calltaker-1, not calltaker-2", s.MayWrite("calltaker-2"), StringComparison.Ordinal);
        Assert.NotNull(s.Classify("calltaker-2", ClassificationKind.Prank, null, null, null));
        Assert.NotNull(s.Accept("calltaker-2", "bob", T0));
        Assert.Null(s.Kind);
    }

    [Fact]
    public void A_call_taker_must_classify_before_closing_and_may_not_close_an_emergency_without_handing_it_over()
    {
        var s = NewSession();
        s.Accept("calltaker-1", "aigul", T0);
        Assert.Contains("not classified", s.Close("calltaker-1", "bye", T0), StringComparison.Ordinal);
        s.Classify("calltaker-1", ClassificationKind.Emergency, "fire", null, null);
        Assert.Contains("hand it to fire", s.Close("calltaker-1", "bye", T0), StringComparison.Ordinal);
        s.Classify("calltaker-1", ClassificationKind.NonEmergency, null, null, null);
        Assert.NotNull(s.HandOver("calltaker-1", "fire", T0));
        Assert.Null(s.Close("calltaker-1", "information given", T0));
        Assert.Equal(CallOutcome.NonEmergency, s.Outcome);
        Assert.False(s.IsOpen);
    }

    [Fact]
    public void Closed_by_the_engine_while_waiting_is_abandoned_in_the_queue()
    {
        var s = NewSession();
        Assert.Null(s.Close(null, "idle", T0));
        Assert.Equal(CallOutcome.AbandonedInQueue, s.Outcome);
        Assert.NotNull(s.Close(null, "idle", T0));
    }

    [Fact]
    public void The_engine_hands_a_waiting_session_to_the_fallback_agency()
    {
        var s = NewSession();
        Assert.Null(s.HandOver(null, "police", T0));
        Assert.Equal(TextSessionState.WithAgency, s.State);
        Assert.NotNull(s.HandOver(null, "police", T0));
    }
}
