using Routing.Calls.Ports;

namespace Routing.Calls;

public sealed partial class Call
{
    // One table for each engine shape, shared by every call (CallMachine: no per-call configuration).
    internal static readonly CallMachine MachineWithoutCentre = BuildMachine(centre: false);
    internal static readonly CallMachine MachineWithCentre = BuildMachine(centre: true);

    private readonly Queue<CallFiring> _raised = new();
    private bool _firing;

    /// <summary>The whole life of a call in one place; <see cref="CallStateDiagram"/> draws it.</summary>
    private static CallMachine BuildMachine(bool centre)
    {
        var m = new CallMachine.Builder();

        m.Configure(CallState.Arrived)
            .Internal(CallTrigger.Begin, static (c, _) => c.BeginAsync())
            .Permit(CallTrigger.Answered, CallState.Answered)
            .Permit(CallTrigger.CallerHungUp, CallState.Ended)
            .Permit(CallTrigger.FailOver, CallState.Ended)
            .Internal(CallTrigger.Timeout, static (c, f) => c.OnTimeoutAsync(f.Timer))
            .Internal(CallTrigger.Reconciled, static (c, _) => c.OnReconciledAsync());

        m.Configure(CallState.Answered)
            .OnEntryAsync(static (c, _, _) => c.OnAnsweredAsync(), "route by entry")
            .Permit(CallTrigger.ToMenu, CallState.Classifying)
            .Permit(CallTrigger.Classified, CallState.Queued)
            .Permit(CallTrigger.ToOperator, CallState.OperatorQueue)
            .Permit(CallTrigger.CallerHungUp, CallState.Ended)
            .Permit(CallTrigger.FailOver, CallState.Ended)
            .Internal(CallTrigger.Timeout, static (c, f) => c.OnTimeoutAsync(f.Timer))
            .Internal(CallTrigger.Reconciled, static (c, _) => c.OnReconciledAsync());

        m.Configure(CallState.Classifying)
            .OnEntryAsync(static (c, _, _) => c.OnClassifyingAsync(), "greeting, language menu")
            .Internal(CallTrigger.Digit, static (c, f) => c.OnMenuDigitAsync(f.Digit))
            .Internal(CallTrigger.PlaybackFinished, static (c, f) => c.OnPlaybackFinishedAsync(f.Text))
            .Internal(CallTrigger.Timeout, static (c, f) => c.OnTimeoutAsync(f.Timer))
            .Internal(CallTrigger.Reconciled, static (c, _) => c.OnReconciledAsync())
            .Permit(CallTrigger.Classified, CallState.Queued)
            .Permit(CallTrigger.ToOperator, CallState.OperatorQueue)
            .Permit(CallTrigger.CallerHungUp, CallState.Ended)
            .Permit(CallTrigger.FailOver, CallState.Ended);

        m.Configure(CallState.Queued)
            .OnEntryAsync(static (c, _, _) => c.OnQueuedAsync(), "start dialing")
            .Internal(CallTrigger.PlaybackFinished, static (c, f) => c.OnPlaybackFinishedAsync(f.Text))
            .Internal(CallTrigger.Timeout, static (c, f) => c.OnTimeoutAsync(f.Timer))
            .Internal(CallTrigger.Reconciled, static (c, _) => c.OnReconciledAsync())
            .Permit(CallTrigger.StartDialing, CallState.Dialing)
            .Permit(CallTrigger.CallerHungUp, CallState.Ended)
            .Permit(CallTrigger.FailOver, CallState.Ended);

        ConfigureDialingState(m, CallState.Dialing, static (c, _, _) => c.OnDialingAsync(), "dial region trunks, connecting if no answer soon")
            .Permit(CallTrigger.Overflowed, CallState.Overflow);
        ConfigureDialingState(m, CallState.Overflow, static (c, _, _) => c.OnOverflowAsync(), "play still-trying, dial overflow and national trunks");
        if (centre) ConfigureCentreStates(m);
        else ConfigureDialingState(m, CallState.OperatorQueue, static (c, _, _) => c.OnOperatorQueueAsync(), "play stay-on-line, dial call-takers");

        m.Configure(CallState.Connected)
            .OnEntryAsync(static (c, _, _) => c.OnConnectedAsync(), "agency bridged with caller")
            .Internal(CallTrigger.Timeout, static (c, f) => c.OnTimeoutAsync(f.Timer))
            .Internal(CallTrigger.Reconciled, static (c, _) => c.OnReconciledAsync())
            // A hold prompt stopped when the agency answered still reports PlaybackFinished.
            .Ignore(CallTrigger.PlaybackFinished)
            // The engine posts LegAnswered for a leg that a reconcile finds Up in Stasis (its
            // StasisStart lost in the gap); when that StasisStart arrives after all, it is the same
            // answer again. The leg is already bridged: nothing to do, and nothing unexpected.
            .Ignore(CallTrigger.LegAnswered)
            .Permit(CallTrigger.CallerHungUp, CallState.Ended)
            .Permit(CallTrigger.AgencyHungUp, CallState.Ended);

        m.Configure(CallState.Ended)
            .OnEntryAsync(static (c, from, trigger) => c.OnEndedAsync(from, trigger), "clean up, record outcome")
            // Asterisk reports one hang-up several times (ChannelHangupRequest, StasisEnd,
            // ChannelDestroyed), and our own clean-up hangs the other side up: all expected.
            .Ignore(CallTrigger.CallerHungUp)
            .Ignore(CallTrigger.AgencyHungUp)
            .Ignore(CallTrigger.LegFailed)
            .Ignore(CallTrigger.PlaybackFinished)
            .Ignore(CallTrigger.Timeout)
            .Ignore(CallTrigger.Reconciled);

        return m.Build();
    }

    private static CallMachine.StateRules ConfigureDialingState(
        CallMachine.Builder m, CallState state, Func<Call, CallState, CallTrigger, Task> onEntry, string description) =>
        m.Configure(state)
            .OnEntryAsync(onEntry, description)
            .Internal(CallTrigger.PlaybackFinished, static (c, f) => c.OnPlaybackFinishedAsync(f.Text))
            .Internal(CallTrigger.LegRinging, static (c, _) => c.OnLegRingingAsync())
            .Internal(CallTrigger.LegAnswered, static (c, _) => c.OnLegAnsweredAsync())
            .Internal(CallTrigger.LegFailed, static (c, f) => c.OnLegFailedAsync(f.Text, hangUp: false))
            .Internal(CallTrigger.Timeout, static (c, f) => c.OnTimeoutAsync(f.Timer))
            .Internal(CallTrigger.Reconciled, static (c, _) => c.OnReconciledAsync())
            .Permit(CallTrigger.Bridged, CallState.Connected)
            .Permit(CallTrigger.CallerHungUp, CallState.Ended)
            .Permit(CallTrigger.FailOver, CallState.Ended);

    /// <summary>The table this call runs on: with a centre, OperatorQueue waits in the centre's queue and
    /// WithCallTaker exists.</summary>
    private CallMachine Machine => UsesCentre ? MachineWithCentre : MachineWithoutCentre;

    /// <summary>
    /// Fires a trigger. Only ever called from the call's loop. A trigger fired while another is being
    /// handled (an action raising a follow-up) is queued and runs when the current one is complete, still
    /// in this call, in order; so the caller of Raise must not act further. A trigger the current state has
    /// no rule for changes nothing and is recorded as <c>input.ignored</c> ("Digit in Dialing").
    /// </summary>
    private async Task FireAsync(CallFiring firing)
    {
        if (_firing)
        {
            _raised.Enqueue(firing);
            return;
        }

        try
        {
            _firing = true;
            await FireOneAsync(firing);
            while (_raised.TryDequeue(out var next)) await FireOneAsync(next);
        }
        finally
        {
            // A failed action leaves what it queued behind, to run with the next trigger; the loop
            // ends the call after a failure anyway (CrashEndAsync).
            _firing = false;
        }
    }

    private Task FireAsync(CallTrigger trigger) => FireAsync(new CallFiring(trigger));

    private Task FireOneAsync(CallFiring firing)
    {
        var source = _state;
        var rule = Machine.Find(source, firing.Trigger);
        if (rule is null) return JournalAsync("input.ignored", $"{firing.Trigger} in {source}");
        return rule.Kind switch
        {
            CallRuleKind.Internal => rule.Action!(this, firing),
            CallRuleKind.Permit => TransitionAsync(source, rule.Destination, firing.Trigger),
            _ => Task.CompletedTask,
        };
    }

    /// <summary>Moves the call, records the move, then runs the new state's entry action.</summary>
    private async Task TransitionAsync(CallState source, CallState destination, CallTrigger trigger)
    {
        _state = destination;
        Publish();
        Notify("observer.StateChanged", o => o.StateChanged(source, destination));
        await JournalAsync("state", $"{source} -> {destination}");
        if (Machine.For(destination)?.OnEntry is { } onEntry) await onEntry(this, source, trigger);
    }

    /// <summary>True when the current state has a rule for <paramref name="trigger"/>.</summary>
    private bool CanFire(CallTrigger trigger) => Machine.Find(_state, trigger) is not null;

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
    /// trigger (see <see cref="FireAsync(CallFiring)"/>): it runs when the current transition is complete,
    /// still in this call's loop, so the caller of Raise must not act further.</summary>
    private Task RaiseAsync(CallTrigger trigger) => FireAsync(new CallFiring(trigger));
}
