using Routing.Calls.Centre;
using Routing.Calls.Ports;
using Routing.Calls.Routing;

namespace Routing.Calls;

/// <summary>
/// The call and the 112 call-taker centre (when the engine has one, <see cref="CallDependencies.Centre"/>):
/// waiting in the centre's queue in the call's bridge with music on hold, a call-taker joining, and the
/// call-taker's actions (classify, hold, requeue, hang up; transfers are in Call.Transfer.cs). The centre
/// only decides who takes the call; everything that happens to the caller happens here, in the call's loop.
/// </summary>
public sealed partial class Call
{
    private bool UsesCentre => _deps.Centre is not null;

    private string? _callTaker;
    private string? _callTakerUser;
    private string? _callTakerChannel;
    private string? _callTakerLegId;
    private bool _callTakerPresent;

    /// <summary>When the call-taker's phone was put in the caller's bridge; null until then (and after it left).</summary>
    private DateTimeOffset? _callTakerBridgedAt;
    private bool _onHold;
    private CallDecision? _decision;
    private string? _ivrHint;
    private TimeSpan? _answerTime;
    private bool _languageChosen;
    private bool _humanFirst;

    /// <summary>The centre already has the call again (requeue): entering the queue must not enqueue it twice.</summary>
    private bool _requeued;

    /// <summary>The centre has had the call at some point: it is told when the call ends.</summary>
    private bool _inCentre;

    private bool IsCallTakerChannel(string? channelId) => _callTakerChannel is not null && string.Equals(_callTakerChannel, channelId, StringComparison.Ordinal);

    private void ConfigureCentreStates()
    {
        _machine.Configure(CallState.OperatorQueue)
            .OnEntryAsync(OnCentreQueueAsync, "bridge, stay-on-line, music on hold: wait for a call-taker")
            .InternalTransitionAsync(_playbackTrigger, (id, _) => OnPlaybackFinishedAsync(id))
            .InternalTransitionAsync(_timeoutTrigger, (timer, _) => OnTimeoutAsync(timer))
            .InternalTransitionAsync(CallTrigger.Reconciled, _ => OnReconciledAsync())
            .Permit(CallTrigger.CallTakerJoined, CallState.WithCallTaker)
            .Permit(CallTrigger.CallerHungUp, CallState.Ended)
            .Permit(CallTrigger.FailOver, CallState.Ended);

        // No FailOver here: a caller talking to a call-taker is never handed to the dialplan (engine stop,
        // a timer): Asterisk keeps the bridge, as it does for a caller talking to an agency.
        _machine.Configure(CallState.WithCallTaker)
            .OnEntryAsync(OnCallTakerJoinedAsync, "call-taker bridged with caller")
            .InternalTransitionAsync(_playbackTrigger, (id, _) => OnPlaybackFinishedAsync(id))
            .InternalTransitionAsync(CallTrigger.LegRinging, _ => OnTransferRingingAsync())
            .InternalTransitionAsync(CallTrigger.LegAnswered, _ => OnTransferAnsweredAsync())
            .InternalTransitionAsync(_legFailedTrigger, (reason, _) => OnTransferLegFailedAsync(reason, hangUp: false))
            .InternalTransitionAsync(CallTrigger.AgencyHungUp, _ => OnTransferAgencyLeftAsync())
            .InternalTransitionAsync(_timeoutTrigger, (timer, _) => OnTimeoutAsync(timer))
            .InternalTransitionAsync(CallTrigger.Reconciled, _ => OnReconciledAsync())
            .Permit(CallTrigger.Requeued, CallState.OperatorQueue)
            .Permit(CallTrigger.TransferCompleted, CallState.Connected)
            .Permit(CallTrigger.Classified, CallState.Queued)
            .Permit(CallTrigger.HungUpByCallTaker, CallState.Ended)
            .Permit(CallTrigger.CallerHungUp, CallState.Ended);
    }

    /// <summary>Where a call goes after it is answered, with a centre: 101–104 straight to their agency;
    /// an SOS button to the call-takers (its device's agency is a hint); 112 and app calls human-first
    /// (a language digit during a short prompt, then a call-taker) or IVR-first (the menus, whose agency
    /// is a hint), per Centre:Entries.</summary>
    private CallTrigger CentreFirstStep()
    {
        var entry = _classification.Entry;
        if (entry == CallEntry.Direct && _classification.FirstStep == FirstStep.Agency) return CallTrigger.Classified;
        if (_classification.FirstStep != FirstStep.Menu)
        {
            _ivrHint = _classification.Agency;
            return CallTrigger.ToOperator;
        }
        _humanFirst = _deps.Centre!.ModeFor(entry) == EntryMode.HumanFirst;
        return CallTrigger.ToMenu;
    }

    private async Task OnHumanFirstGreetingAsync()
    {
        await JournalAsync("entry", "human-first: language prompt, then a call-taker");
        await PlayPromptAsync("language-menu", _options.Ivr.DefaultLanguage);
    }

    /// <summary>Human-first: a language digit pressed during the prompt counts and the caller goes to a
    /// call-taker at once; any other key is recorded and changes nothing.</summary>
    private async Task OnHumanFirstDigitAsync(char digit)
    {
        var key = digit.ToString();
        if (!_options.Ivr.LanguageDigits.TryGetValue(key, out var language) || string.IsNullOrEmpty(language))
        {
            await JournalAsync("dtmf", $"{key} ignored: not a language digit (human-first)");
            return;
        }
        await JournalAsync("dtmf", key);
        _language = language;
        _languageChosen = true;
        Publish();
        await JournalAsync("language", language);
        await StopActivePromptAsync();
        await RaiseAsync(CallTrigger.ToOperator);
    }

    private async Task OnCentreQueueAsync()
    {
        _timers.Cancel(CallTimer.Prompt);
        _timers.Arm(CallTimer.State, _options.Operators.QueueTimeout);
        if (!await EnsureBridgeAsync(withCaller: true)) return;
        if (!_requeued)
        {
            var request = new QueueRequest(CallId, _classification.Entry, _region, _languageChosen ? _language : null);
            _deps.Centre!.Enqueue(new CentreCall(request, _classification.CallerNumber, CallerChannelId));
            _inCentre = true;
        }
        _requeued = false;
        await StartHoldPromptAsync("stay-on-line");
    }

    /// <summary>The centre's periodic announcement; skipped while another prompt plays.</summary>
    private async Task OnQueuePositionAsync(int place)
    {
        if (_state != CallState.OperatorQueue || _activePlayback is not null || _callerGone) return;
        await StartHoldPromptAsync(place is >= 1 and <= QueuePositionPrompts ? $"queue-position-{place}" : "stay-on-line");
    }

    /// <summary>How many places have their own prompt (<c>queue-position-1</c> … <c>-5</c>); beyond that the
    /// caller hears "stay on the line".</summary>
    public const int QueuePositionPrompts = 5;

    private async Task OnCallTakerAssignedAsync(CallInput.CallTakerAssigned assigned)
    {
        if (_state != CallState.OperatorQueue || _callerGone || _finishing)
        {
            // The caller left (or the call moved on) while the phone was answered: release the phone.
            await JournalAsync("calltaker.released", $"{assigned.Position} answered as the call left the queue ({_state})", assigned.LegId);
            await CommandAsync("hangup", assigned.ChannelId, ct => _deps.Telephony.HangupAsync(assigned.ChannelId, HangupReason.Normal, ct));
            _deps.Centre?.CallEnded(CallId);
            return;
        }
        _callTaker = assigned.Position;
        _callTakerBridgedAt = null;
        _callTakerUser = assigned.User;
        _callTakerChannel = assigned.ChannelId;
        _callTakerLegId = assigned.LegId;
        _answerTime ??= SinceArrival();
        await _machine.FireAsync(CallTrigger.CallTakerJoined);
    }

    private async Task OnCallTakerJoinedAsync()
    {
        _timers.Cancel(CallTimer.State);
        _callTakerPresent = true;
        _onHold = false;
        Publish();
        await JournalAsync("calltaker.joined", $"{_callTaker} ({_callTakerUser}) after {SinceArrival()}", _callTakerLegId);
        await StopActivePromptAsync();
        await StopMusicOnHoldAsync();
        if (_callerGone) return;
        var channel = _callTakerChannel!;
        var added = await CommandAsync("addToBridge", channel, ct => _deps.Telephony.AddToBridgeAsync(BridgeId, [channel], ct));
        if (added == CommandResult.Done)
        {
            _callTakerBridgedAt = _deps.Time.GetUtcNow();
            await RecordLegVideoAsync(_callTaker!, channel, _callTakerLegId);
            return;
        }
        // The call-taker's phone is gone already (or cannot be bridged): nobody talked. The caller waits again;
        // the centre is told the phone never reached the caller, so it does not ring that phone again at once.
        await JournalAsync("calltaker.lost", $"{_callTaker} could not be bridged ({added})", _callTakerLegId);
        await BackToQueueAsync(hangUpCallTaker: added != CommandResult.Gone, centre => centre.CallTakerDeviceLeft(CallId, _callTaker!, withCaller: null));
    }

    /// <summary>The call-taker's device left the call (it hung up, or its channel vanished). A classified call
    /// ends with it (hanging up is how a call-taker ends a call); an unclassified one goes back to the queue,
    /// so a dropped headset never drops a caller. After a warm transfer was answered, caller and agency go on.</summary>
    private async Task OnCallTakerDeviceLeftAsync(int cause)
    {
        if (!_callTakerPresent)
        {
            await JournalAsync("calltaker.leg.ended", $"cause {cause}", _callTakerLegId);
            return;
        }
        _callTakerPresent = false;
        Publish();
        await JournalAsync("calltaker.left", $"{_callTaker} ({_callTakerUser}): device hung up (cause {cause})", _callTakerLegId);
        if (_state != CallState.WithCallTaker) return;
        if (_transfer is { State: TransferStates.Answered })
        {
            await CompleteTransferAsync("call-taker hung up after the agency answered");
            return;
        }
        if (_decision is not null)
        {
            await CancelTransferLegAsync();
            await _machine.FireAsync(CallTrigger.HungUpByCallTaker);
            return;
        }
        var withCaller = _callTakerBridgedAt is { } bridged ? _deps.Time.GetUtcNow() - bridged : (TimeSpan?)null;
        await BackToQueueAsync(hangUpCallTaker: false, centre => centre.CallTakerDeviceLeft(CallId, _callTaker!, withCaller));
    }

    /// <summary>The call-taker's own requeue: the position goes to WrapUp, the call waits as requeued.</summary>
    private Task RequeueAsync(bool hangUpCallTaker) => BackToQueueAsync(hangUpCallTaker, centre => centre.Requeue(CallId, _callTaker!));

    /// <summary>The caller waits in the centre's queue again; <paramref name="tellCentre"/> says why (the centre
    /// already has the call back once told, so entering the queue does not enqueue it again).</summary>
    private async Task BackToQueueAsync(bool hangUpCallTaker, Action<ICallCentre> tellCentre)
    {
        await CancelTransferLegAsync();
        if (_onHold)
        {
            _onHold = false;
            await StopMusicOnHoldAsync();
        }
        if (hangUpCallTaker) await LeaveCallTakerAsync("requeued");
        _callTakerPresent = false;
        _callTakerBridgedAt = null;
        Publish();
        tellCentre(_deps.Centre!);
        _requeued = true;
        await _machine.FireAsync(CallTrigger.Requeued);
    }

    /// <summary>The call-taker's phone leaves the call (hung up by us, on record first).</summary>
    private async Task LeaveCallTakerAsync(string reason)
    {
        if (_callTakerChannel is not { } channel) return;
        var wasPresent = _callTakerPresent;
        _callTakerPresent = false;
        Publish();
        if (wasPresent) await JournalAsync("calltaker.left", $"{_callTaker} ({_callTakerUser}): {reason}", _callTakerLegId);
        await CommandAsync("hangup", channel, ct => _deps.Telephony.HangupAsync(channel, HangupReason.Normal, ct));
    }

    /// <summary>An operator request: checked against the acting position and the call's state (a refusal
    /// changes nothing), then recorded, then done.</summary>
    private async Task<Refusal?> OnOperatorRequestAsync(CallInput.OperatorRequest request)
    {
        var action = request.Action;
        if (_state == CallState.Ended || _finishing)
            return new Refusal(RefusalKind.NotAllowed, $"call {CallId} has ended");
        if (!string.Equals(_callTaker, request.Position, StringComparison.OrdinalIgnoreCase))
            return new Refusal(RefusalKind.NotYours, $"call {CallId} is not yours{(_callTaker is { } other ? $" (it is with {other})" : "")}");
        var by = $"{request.User}@{request.Position}";
        if (action is CallTakerAction.SetLocation set)
        {
            await OnLocationAsync(set.Location with { Method = CallerText.CleanText($"typed by {by}", 80) }, routingAllowed: true);
            return null;
        }

        if (action is CallTakerAction.Classify classify) return await ClassifyAsync(classify, by);
        if (_state != CallState.WithCallTaker || !_callTakerPresent)
            return new Refusal(RefusalKind.NotAllowed, $"call {CallId} is {_state}{(_callTakerPresent ? "" : " without its call-taker")}; {action.Name} is allowed while its call-taker is with it");

        var transferBusy = _transfer is { State: TransferStates.Dialing or TransferStates.Ringing or TransferStates.Answered };
        switch (action)
        {
            case CallTakerAction.Transfer when transferBusy:
                return new Refusal(RefusalKind.NotAllowed, $"a transfer to {_transfer!.Agency} is {_transfer.State}; complete or cancel it first");
            case CallTakerAction.Transfer when _onHold:
                return new Refusal(RefusalKind.NotAllowed, $"call {CallId} is on hold; resume it first");
            case CallTakerAction.Transfer transfer:
                await StartTransferAsync(transfer, by);
                return null;
            case CallTakerAction.CompleteTransfer when _transfer is not { State: TransferStates.Answered }:
                return new Refusal(RefusalKind.NotAllowed, $"no answered transfer to complete (transfer is {_transfer?.State ?? "none"})");
            case CallTakerAction.CompleteTransfer:
                await CompleteTransferAsync($"transfer complete by {by}");
                return null;
            case CallTakerAction.CancelTransfer when !transferBusy:
                return new Refusal(RefusalKind.NotAllowed, $"no transfer under way to cancel (transfer is {_transfer?.State ?? "none"})");
            case CallTakerAction.CancelTransfer:
                await JournalAsync("transfer.cancelled", $"{_transfer!.Agency} by {by}", _leg?.LegId);
                await CancelTransferLegAsync();
                return null;
            case CallTakerAction.Hold when _onHold:
                return new Refusal(RefusalKind.NotAllowed, $"call {CallId} is already on hold");
            case CallTakerAction.Hold when transferBusy:
                return new Refusal(RefusalKind.NotAllowed, $"a transfer to {_transfer!.Agency} is {_transfer.State}; hold is allowed without a transfer under way");
            case CallTakerAction.Hold:
                await HoldAsync(by);
                return null;
            case CallTakerAction.Resume when !_onHold:
                return new Refusal(RefusalKind.NotAllowed, $"call {CallId} is not on hold");
            case CallTakerAction.Resume:
                await ResumeAsync(by);
                return null;
            case CallTakerAction.Requeue when transferBusy:
                return new Refusal(RefusalKind.NotAllowed, $"a transfer to {_transfer!.Agency} is {_transfer.State}; complete or cancel it before requeueing");
            case CallTakerAction.Requeue requeue:
                await JournalAsync("requeued", $"by {by}: {CallerText.CleanText(requeue.Reason, 80)}");
                await RequeueAsync(hangUpCallTaker: true);
                return null;
            case CallTakerAction.HangUp hangUp:
                await JournalAsync("hangup.requested", $"by {by}: {CallerText.CleanText(hangUp.Reason, 80)}");
                await CancelTransferLegAsync();
                await _machine.FireAsync(CallTrigger.HungUpByCallTaker);
                return null;
            default:
                return new Refusal(RefusalKind.Invalid, $"unknown action {action.Name}");
        }
    }

    /// <summary>Every classification is a new ledger event with who made it; the last one counts, and a
    /// change shows because the earlier event stays.</summary>
    private async Task<Refusal?> ClassifyAsync(CallTakerAction.Classify classify, string by)
    {
        var earlier = _decision;
        _decision = new CallDecision(classify.Agency, classify.IncidentType is null ? null : CallerText.CleanText(classify.IncidentType, 80),
            classify.Note is null ? null : CallerText.CleanText(classify.Note, 500), classify.Kind, by);
        var detail = $"by {by}: {KindText(classify.Kind)}{(classify.Agency is { } a ? $" / {a}" : "")}" +
            $"{(_decision.IncidentType is { } i ? $" / {i}" : "")}{(_decision.Note is { } n ? $" / note \"{n}\"" : "")}" +
            $"{(earlier is null ? "" : $" (replaces {KindText(earlier.Kind)}{(earlier.Agency is { } ea ? $" / {ea}" : "")} by {earlier.By})")}";
        await JournalAsync("classified", detail);
        Publish();
        Notify("observer.CallTakerClassified", o => o.CallTakerClassified(classify.Agency, classify.Kind));
        return null;
    }

    private static string KindText(ClassificationKind kind) => kind switch
    {
        ClassificationKind.NonEmergency => "not an emergency",
        ClassificationKind.Prank => "prank",
        ClassificationKind.Silent => "silent",
        _ => "emergency",
    };

    /// <summary>Hold: the call-taker's phone leaves the bridge (it stays ours, in silence) and the caller
    /// hears music on hold; resume puts it back.</summary>
    private async Task HoldAsync(string by)
    {
        await JournalAsync("hold", $"by {by}");
        _onHold = true;
        Publish();
        var channel = _callTakerChannel!;
        await CommandAsync("removeFromBridge", channel, ct => _deps.Telephony.RemoveFromBridgeAsync(BridgeId, [channel], ct));
        await StartMusicOnHoldAsync();
    }

    private async Task ResumeAsync(string by)
    {
        await JournalAsync("resume", $"by {by}");
        _onHold = false;
        Publish();
        await StopMusicOnHoldAsync();
        var channel = _callTakerChannel!;
        await CommandAsync("addToBridge", channel, ct => _deps.Telephony.AddToBridgeAsync(BridgeId, [channel], ct));
    }

    /// <summary>How a call a call-taker had ends: by what the call-taker decided.</summary>
    private CallOutcome DecidedOutcome() => _decision?.Kind switch
    {
        ClassificationKind.NonEmergency => CallOutcome.NonEmergency,
        ClassificationKind.Prank => CallOutcome.Prank,
        ClassificationKind.Silent => CallOutcome.Silent,
        _ => CallOutcome.Completed,
    };
}
