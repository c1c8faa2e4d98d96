using Stateless;

namespace Routing.Calls;

public sealed partial class Call
{
    private StateMachine<CallState, CallTrigger>.TriggerWithParameters<char> _digitTrigger = null!;
    private StateMachine<CallState, CallTrigger>.TriggerWithParameters<string> _playbackTrigger = null!;
    private StateMachine<CallState, CallTrigger>.TriggerWithParameters<string> _legFailedTrigger = null!;
    private StateMachine<CallState, CallTrigger>.TriggerWithParameters<CallTimer> _timeoutTrigger = null!;

    /// <summary>The whole life of a call in one place; <see cref="CallStateDiagram"/> draws it.</summary>
    private void ConfigureMachine()
    {
        var m = _machine;
        _digitTrigger = m.SetTriggerParameters<char>(CallTrigger.Digit);
        _playbackTrigger = m.SetTriggerParameters<string>(CallTrigger.PlaybackFinished);
        _legFailedTrigger = m.SetTriggerParameters<string>(CallTrigger.LegFailed);
        _timeoutTrigger = m.SetTriggerParameters<CallTimer>(CallTrigger.Timeout);

        m.OnTransitionedAsync(OnTransitionedAsync);
        m.OnUnhandledTriggerAsync((state, trigger, _) => JournalAsync("input.ignored", $"{trigger} in {state}"));

        m.Configure(CallState.Arrived)
            .InternalTransitionAsync(CallTrigger.Begin, _ => BeginAsync())
            .Permit(CallTrigger.Answered, CallState.Answered)
            .Permit(CallTrigger.CallerHungUp, CallState.Ended)
            .Permit(CallTrigger.FailOver, CallState.Ended)
            .InternalTransitionAsync(_timeoutTrigger, (timer, _) => OnTimeoutAsync(timer))
            .InternalTransitionAsync(CallTrigger.Reconciled, _ => OnReconciledAsync());

        m.Configure(CallState.Answered)
            .OnEntryAsync(OnAnsweredAsync, "route by entry")
            .Permit(CallTrigger.ToMenu, CallState.Classifying)
            .Permit(CallTrigger.Classified, CallState.Queued)
            .Permit(CallTrigger.ToOperator, CallState.OperatorQueue)
            .Permit(CallTrigger.CallerHungUp, CallState.Ended)
            .Permit(CallTrigger.FailOver, CallState.Ended)
            .InternalTransitionAsync(_timeoutTrigger, (timer, _) => OnTimeoutAsync(timer))
            .InternalTransitionAsync(CallTrigger.Reconciled, _ => OnReconciledAsync());

        m.Configure(CallState.Classifying)
            .OnEntryAsync(OnClassifyingAsync, "greeting, language menu")
            .InternalTransitionAsync(_digitTrigger, (digit, _) => OnMenuDigitAsync(digit))
            .InternalTransitionAsync(_playbackTrigger, (id, _) => OnPlaybackFinishedAsync(id))
            .InternalTransitionAsync(_timeoutTrigger, (timer, _) => OnTimeoutAsync(timer))
            .InternalTransitionAsync(CallTrigger.Reconciled, _ => OnReconciledAsync())
            .Permit(CallTrigger.Classified, CallState.Queued)
            .Permit(CallTrigger.ToOperator, CallState.OperatorQueue)
            .Permit(CallTrigger.CallerHungUp, CallState.Ended)
            .Permit(CallTrigger.FailOver, CallState.Ended);

        m.Configure(CallState.Queued)
            .OnEntryAsync(OnQueuedAsync, "bridge caller, play connecting")
            .InternalTransitionAsync(_playbackTrigger, (id, _) => OnPlaybackFinishedAsync(id))
            .InternalTransitionAsync(_timeoutTrigger, (timer, _) => OnTimeoutAsync(timer))
            .InternalTransitionAsync(CallTrigger.Reconciled, _ => OnReconciledAsync())
            .Permit(CallTrigger.StartDialing, CallState.Dialing)
            .Permit(CallTrigger.CallerHungUp, CallState.Ended)
            .Permit(CallTrigger.FailOver, CallState.Ended);

        ConfigureDialingState(CallState.Dialing, OnDialingAsync, "dial region trunks")
            .Permit(CallTrigger.Overflowed, CallState.Overflow);
        ConfigureDialingState(CallState.Overflow, OnOverflowAsync, "play still-trying, dial overflow and national trunks");
        ConfigureDialingState(CallState.OperatorQueue, OnOperatorQueueAsync, "play stay-on-line, dial call-takers");

        m.Configure(CallState.Connected)
            .OnEntryAsync(OnConnectedAsync, "agency bridged with caller")
            .InternalTransitionAsync(_timeoutTrigger, (timer, _) => OnTimeoutAsync(timer))
            .InternalTransitionAsync(CallTrigger.Reconciled, _ => OnReconciledAsync())
            // A hold prompt stopped when the agency answered still reports PlaybackFinished.
            .Ignore(CallTrigger.PlaybackFinished)
            // The engine posts LegAnswered for a leg that a reconcile finds Up in Stasis (its
            // StasisStart lost in the gap); when that StasisStart arrives after all, it is the same
            // answer again. The leg is already bridged: nothing to do, and nothing unexpected.
            .Ignore(CallTrigger.LegAnswered)
            .Permit(CallTrigger.CallerHungUp, CallState.Ended)
            .Permit(CallTrigger.AgencyHungUp, CallState.Ended);

        m.Configure(CallState.Ended)
            .OnEntryAsync(OnEndedAsync, "clean up, record outcome")
            // Asterisk reports one hang-up several times (ChannelHangupRequest, StasisEnd,
            // ChannelDestroyed), and our own clean-up hangs the other side up: all expected.
            .Ignore(CallTrigger.CallerHungUp)
            .Ignore(CallTrigger.AgencyHungUp)
            .Ignore(CallTrigger.LegFailed)
            .Ignore(CallTrigger.PlaybackFinished)
            .Ignore(CallTrigger.Timeout)
            .Ignore(CallTrigger.Reconciled);
    }

    private StateMachine<CallState, CallTrigger>.StateConfiguration ConfigureDialingState(
        CallState state, Func<Task> onEntry, string description) =>
        _machine.Configure(state)
            .OnEntryAsync(onEntry, description)
            .InternalTransitionAsync(_playbackTrigger, (id, _) => OnPlaybackFinishedAsync(id))
            .InternalTransitionAsync(CallTrigger.LegRinging, _ => OnLegRingingAsync())
            .InternalTransitionAsync(CallTrigger.LegAnswered, _ => OnLegAnsweredAsync())
            .InternalTransitionAsync(_legFailedTrigger, (reason, _) => OnLegFailedAsync(reason, hangUp: false))
            .InternalTransitionAsync(_timeoutTrigger, (timer, _) => OnTimeoutAsync(timer))
            .InternalTransitionAsync(CallTrigger.Reconciled, _ => OnReconciledAsync())
            .Permit(CallTrigger.Bridged, CallState.Connected)
            .Permit(CallTrigger.CallerHungUp, CallState.Ended)
            .Permit(CallTrigger.FailOver, CallState.Ended);

    private async Task OnTransitionedAsync(StateMachine<CallState, CallTrigger>.Transition t)
    {
        if (t.Source == t.Destination) return; // internal transitions are not state changes
        Publish();
        Notify("observer.StateChanged", o => o.StateChanged(t.Source, t.Destination));
        await JournalAsync("state", $"{t.Source} -> {t.Destination}");
    }

    /// <summary>Asks the machine for a follow-up transition. Inside an action this only queues the
    /// trigger (<see cref="FiringMode.Queued"/>): it runs when the current transition is complete,
    /// still in this call's loop, so the caller of Raise must not act further.</summary>
    private Task RaiseAsync(CallTrigger trigger) => _machine.FireAsync(trigger);

    /// <summary>For <see cref="CallStateDiagram"/>: the machine as configured, without running it.</summary>
    internal string ToDotGraph() => Stateless.Graph.UmlDotGraph.Format(_machine.GetInfo());
}
