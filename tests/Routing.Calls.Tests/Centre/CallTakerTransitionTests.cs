using System.Text.Json;
using Routing.Calls.Centre;

namespace Routing.Calls.Tests.Centre;

/// <summary>Every action of a call-taker in every state: allowed, or refused with the states that allow it,
/// and a refusal changes nothing.</summary>
public class CallTakerTransitionTests
{
    private static readonly Dictionary<string, CallTakerState[]> AllowedIn = new()
    {
        ["login"] = [CallTakerState.LoggedOut],
        ["logout"] = [CallTakerState.Available, CallTakerState.WrapUp, CallTakerState.Paused],
        ["pause"] = [CallTakerState.Available, CallTakerState.WrapUp],
        ["resume"] = [CallTakerState.Paused, CallTakerState.WrapUp],
        ["leaving a call"] = [CallTakerState.OnCall],
        ["requeue"] = [CallTakerState.OnCall],
        ["callback"] = [CallTakerState.Available, CallTakerState.WrapUp],
    };

    private static CentreHarness In(CallTakerState state)
    {
        var h = new CentreHarness();
        h.Ok(c => c.DeviceReachability("ct-1", true));
        if (state == CallTakerState.LoggedOut) return h;
        h.Ok(c => c.Login("ct-1"));
        if (state == CallTakerState.Paused) h.Ok(c => c.Pause("ct-1", "break"));
        if (state is CallTakerState.Offered or CallTakerState.OnCall or CallTakerState.WrapUp) h.Enqueue("c1");
        if (state is CallTakerState.OnCall or CallTakerState.WrapUp) h.Ok(c => c.OfferAnswered("c1", "ct-1"));
        if (state == CallTakerState.WrapUp) h.Ok(c => c.CallEnded("c1"));
        Assert.Equal(state, h.StateOf("ct-1"));
        return h;
    }

    private static CentreResult Act(CallCentre c, string action) => action switch
    {
        "login" => c.Login("ct-1"),
        "logout" => c.Logout("ct-1"),
        "pause" => c.Pause("ct-1", "coffee"),
        "resume" => c.Resume("ct-1"),
        "leaving a call" => c.CallTakerLeft("ct-1"),
        "requeue" => c.Requeue("ct-1", "c1"),
        "callback" => c.StartCallback("ct-1", "cb1"),
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };

    public static TheoryData<CallTakerState, string> Every_state_and_action()
    {
        var data = new TheoryData<CallTakerState, string>();
        foreach (var state in Enum.GetValues<CallTakerState>())
        {
            foreach (var action in AllowedIn.Keys) data.Add(state, action);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Every_state_and_action))]
    public void An_action_is_allowed_in_its_states_and_refused_elsewhere_with_the_states_that_allow_it(CallTakerState state, string action)
    {
        var h = In(state);
        var before = JsonSerializer.Serialize(h.Centre.Snapshot());

        var result = Act(h.Centre, action);

        if (AllowedIn[action].Contains(state))
        {
            Assert.True(result.Accepted, result.Refusal?.Message);
            Assert.Contains(result.Decisions.OfType<CallTakerChanged>(), d => d.CallTakerId == "ct-1" && d.From == state);
            return;
        }
        Assert.False(result.Accepted);
        Assert.Equal(RefusalKind.NotAllowed, result.Refusal!.Kind);
        Assert.Equal($"ct-1 is {state}; {action} is allowed in {string.Join(" or ", AllowedIn[action])}", result.Refusal.Message);
        Assert.Empty(result.Decisions);
        Assert.Equal(before, JsonSerializer.Serialize(h.Centre.Snapshot()));
    }

    [Fact]
    public void The_operator_message_for_pausing_a_call_taker_on_a_call_says_where_pause_is_allowed()
    {
        var h = In(CallTakerState.OnCall);
        Assert.Equal("ct-1 is OnCall; pause is allowed in Available or WrapUp", h.Do(c => c.Pause("ct-1", "lunch")).Refusal!.Message);
    }

    [Fact]
    public void An_unknown_position_is_refused_as_unknown_and_its_name_is_cleaned_for_the_message()
    {
        var h = new CentreHarness();
        var refusal = h.Do(c => c.Login("ct-9\u0007\n")).Refusal!;
        Assert.Equal(RefusalKind.UnknownCallTaker, refusal.Kind);
        Assert.DoesNotContain('\u0007', refusal.Message);
        Assert.StartsWith("no call-taker position 'ct-9", refusal.Message);
    }

    [Fact]
    public void A_pause_needs_a_reason_and_an_empty_one_changes_nothing()
    {
        var h = In(CallTakerState.Available);
        var refusal = h.Do(c => c.Pause("ct-1", " \t ")).Refusal!;
        Assert.Equal(RefusalKind.Invalid, refusal.Kind);
        Assert.Equal(CallTakerState.Available, h.StateOf("ct-1"));
    }

    [Fact]
    public void A_pause_keeps_its_reason_until_resume()
    {
        var h = In(CallTakerState.Available);
        h.Ok(c => c.Pause("ct-1", "supervisor call"));
        Assert.Equal("supervisor call", h.Centre.CallTaker("ct-1")!.PauseReason);
        h.Ok(c => c.Resume("ct-1"));
        Assert.Null(h.Centre.CallTaker("ct-1")!.PauseReason);
    }

    [Fact]
    public void Requeueing_someone_elses_call_is_refused_as_not_yours()
    {
        var h = In(CallTakerState.OnCall);
        var refusal = h.Do(c => c.Requeue("ct-1", "c2")).Refusal!;
        Assert.Equal(RefusalKind.NotYours, refusal.Kind);
        Assert.Equal("ct-1 is on call c1, not on call c2", refusal.Message);
    }

    [Fact]
    public void A_late_answer_after_the_offer_timed_out_is_stale_and_changes_nothing()
    {
        var h = In(CallTakerState.Offered);
        h.Seconds(15);
        Assert.Equal(CallTakerState.Paused, h.StateOf("ct-1"));
        var result = h.Do(c => c.OfferAnswered("c1", "ct-1"));
        Assert.Equal(RefusalKind.Stale, result.Refusal!.Kind);
        Assert.Equal(CallTakerState.Paused, h.StateOf("ct-1"));
    }
}
