using Routing.Calls.Ports;
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
            .OnEntryAsync(OnQueuedAsync, "start dialing")
            .InternalTransitionAsync(_playbackTrigger, (id, _) => OnPlaybackFinishedAsync(id))
            .InternalTransitionAsync(_timeoutTrigger, (timer, _) => OnTimeoutAsync(timer))
            .InternalTransitionAsync(CallTrigger.Reconciled, _ => OnReconciledAsync())
            .Permit(CallTrigger.StartDialing, CallState.Dialing)
            .Permit(CallTrigger.CallerHungUp, CallState.Ended)
            .Permit(CallTrigger.FailOver, CallState.Ended);

        ConfigureDialingState(CallState.Dialing, OnDialingAsync, "dial region trunks, connecting if no answer soon")
            .Permit(CallTrigger.Overflowed, CallState.Overflow);
        ConfigureDialingState(CallState.Overflow, OnOverflowAsync, "play still-trying, dial overflow and national trunks");
        if (UsesCentre) ConfigureCentreStates();
        else ConfigureDialingState(CallState.OperatorQueue, OnOperatorQueueAsync, "play stay-on-line, dial call-takers");

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

    /// <summary>Write before act: the call is on record before Asterisk hears from us.</summary>
    private async Task BeginAsync()
    {
        _timers.Arm(CallTimer.State, CommandTimeout);
        var c = _classification;
        await JournalWriteAsync("call", () => _deps.Journal.CallArrivedAsync(
            new CallRecord(CallId, CallerChannelId, c.CallerNumber, c.DialedNumber, c.EntryName, _arrival.At), CancellationToken.None));
        foreach (var note in c.Notes) await JournalAsync("classification.note", note);
        if (c.CallerName.Length > 0) await JournalAsync("caller.name", c.CallerName);
        await RecordDeviceLocationAsync();
        if (_shedReason is not null)
        {
            await JournalAsync("shed", _shedReason);
            await RaiseAsync(CallTrigger.FailOver);
            return;
        }

        var answered = await CallerCommandAsync("answer", ct => _deps.Telephony.AnswerAsync(CallerChannelId, ct));
        if (answered == CommandResult.Done) await RaiseAsync(CallTrigger.Answered);
        // An answer that failed for another reason: the dialplan fallback still puts the call through.
        else if (answered == CommandResult.Failed) await RaiseAsync(CallTrigger.FailOver);
    }

    private async Task OnAnsweredAsync()
    {
        _timers.Arm(CallTimer.State, CommandTimeout);
        var next = UsesCentre ? CentreFirstStep() : _classification.FirstStep switch
        {
            FirstStep.Agency => CallTrigger.Classified,
            FirstStep.Operator => CallTrigger.ToOperator,
            _ => CallTrigger.ToMenu,
        };
        if (next == CallTrigger.Classified)
            await JournalAsync("classified", $"{_agency} ({_classification.EntryName}, region {_region})");
        else if (_ivrHint is not null)
            await JournalAsync("hint", $"{_ivrHint} ({_classification.EntryName}): to a call-taker, who decides");
        await RaiseAsync(next);
    }

    /// <summary>Every timer of every state lands here; the state decides what it means.</summary>
    private async Task OnTimeoutAsync(CallTimer timer)
    {
        await JournalAsync("timer", $"{timer} in {_state}");
        switch (timer, _state)
        {
            case (CallTimer.Prompt, _):
                await PromptDoneAsync();
                break;
            case (CallTimer.State, CallState.Classifying):
                await ApplyMenuAsync(_menu.Silence());
                break;
            case (CallTimer.State, CallState.Connected):
                // Never cut an emergency call on a timer: record it so a supervisor can look, and
                // keep checking. Reconciliation ends calls whose channels really are gone.
                await JournalAsync("connected.max", $"bridged for {SinceArrival()} (Timers.ConnectedMax {_options.Timers.ConnectedMax})");
                _timers.Arm(CallTimer.State, _options.Timers.ConnectedMax);
                break;
            case (CallTimer.Ring, CallState.WithCallTaker):
                await OnTransferLegFailedAsync($"no answer within {_leg?.Step.Trunk.RingTimeout}", hangUp: true);
                break;
            case (CallTimer.Ring, CallState.Dialing or CallState.Overflow or CallState.OperatorQueue):
                await OnLegFailedAsync($"no answer within {_leg?.Step.Trunk.RingTimeout}", hangUp: true);
                break;
            case (CallTimer.Ring, _):
                break; // the leg was already settled (answered or failed) when this fired
            case (CallTimer.ConnectingPrompt, CallState.Dialing):
                if (_activePlayback is null && !_callerGone) await StartHoldPromptAsync("connecting");
                break;
            case (CallTimer.ConnectingPrompt, _):
                break; // the call moved on (overflow, ended) before it was due
            default:
                // Arrived/Answered/Queued stuck, the whole dialing plan or the call-taker queue too
                // long: the dialplan fallback takes the caller.
                await JournalAsync("timeout", $"{timer} bound reached in {_state}");
                await RaiseAsync(CallTrigger.FailOver);
                break;
        }
    }

    /// <summary>
    /// After an ARI reconnect the engine has already posted CallerHungUp / LegEnded for channels that
    /// vanished; what is left is alive. Events that would have ended the current wait may have been
    /// lost in the gap, so the wait starts again: the prompt, menu-digit, ring or connected timer is
    /// re-armed. The outer bounds (DialingTotal, Operators.QueueTimeout) are not, so a flapping
    /// connection cannot keep a caller waiting for ever.
    /// </summary>
    private async Task OnReconciledAsync()
    {
        await JournalAsync("reconciled", _state.ToString());
        if (_activePlayback is not null) _timers.Arm(CallTimer.Prompt, _options.Timers.Prompt);
        else if (_state == CallState.Classifying) _timers.Arm(CallTimer.State, _options.Timers.MenuDigit);
        if (_leg is { Answered: false } && _state is CallState.Dialing or CallState.Overflow or CallState.OperatorQueue or CallState.WithCallTaker)
            _timers.Arm(CallTimer.Ring, _leg.Step.Trunk.RingTimeout);
        if (_state == CallState.Connected) _timers.Arm(CallTimer.State, _options.Timers.ConnectedMax);
    }

    /// <summary>Asks the machine for a follow-up transition. Inside an action this only queues the
    /// trigger (<see cref="FiringMode.Queued"/>): it runs when the current transition is complete,
    /// still in this call's loop, so the caller of Raise must not act further.</summary>
    private Task RaiseAsync(CallTrigger trigger) => _machine.FireAsync(trigger);

    /// <summary>For <see cref="CallStateDiagram"/>: the machine as configured, without running it.</summary>
    internal string ToDotGraph() => Stateless.Graph.UmlDotGraph.Format(_machine.GetInfo());
}
