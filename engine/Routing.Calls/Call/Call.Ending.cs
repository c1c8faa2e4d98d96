using Routing.Calls.Ports;

namespace Routing.Calls;

public sealed partial class Call
{
    private bool _finishing;

    /// <summary>The outcome follows from where the call was and what ended it; there is no default
    /// "unknown". A caller who hangs up while bridged completed the call.</summary>
    internal static CallOutcome OutcomeFor(CallState from, CallTrigger trigger) => trigger switch
    {
        CallTrigger.AgencyHungUp or CallTrigger.HungUpByCallTaker => CallOutcome.Completed,
        CallTrigger.CallerHungUp => from switch
        {
            CallState.Connected or CallState.WithCallTaker => CallOutcome.Completed,
            CallState.Arrived or CallState.Answered or CallState.Classifying => CallOutcome.AbandonedInIvr,
            _ => CallOutcome.AbandonedInQueue,
        },
        _ => CallOutcome.FailedOver,
    };

    /// <summary>A call that ends with its call-taker ends as the call-taker decided (NonEmergency, Prank, ...).</summary>
    private Task OnEndedAsync(CallState from, CallTrigger trigger)
    {
        var outcome = OutcomeFor(from, trigger);
        if (_shedReason is not null && trigger == CallTrigger.FailOver) outcome = CallOutcome.Shed;
        if (from == CallState.WithCallTaker && outcome == CallOutcome.Completed) outcome = DecidedOutcome();
        return FinishAsync(outcome, from, trigger);
    }

    /// <summary>Clean-up is always attempted, whatever failed before; then exactly one outcome.</summary>
    private async Task FinishAsync(CallOutcome outcome, CallState from, CallTrigger cause)
    {
        if (_finishing) return;
        _finishing = true;
        _timers.Dispose();

        if (_leg is { Gone: false } leg) await HangUpLegAsync(leg, HangupReason.Normal);
        if (_callTakerPresent) await LeaveCallTakerAsync("call ended");
        if (_inCentre) _deps.Centre?.CallEnded(CallId);
        if (cause == CallTrigger.FailOver)
        {
            await HandOverToDialplanAsync();
        }
        else
        {
            if (cause is CallTrigger.AgencyHungUp or CallTrigger.HungUpByCallTaker && !_callerGone)
                await CommandAsync("hangup", CallerChannelId, ct => _deps.Telephony.HangupAsync(CallerChannelId, HangupReason.Normal, ct));
            await DestroyBridgeAsync();
        }

        if (outcome is CallOutcome.AbandonedInIvr or CallOutcome.AbandonedInQueue)
        {
            var number = _classification.CallerNumber.Length > 0 ? _classification.CallerNumber : "anonymous";
            await JournalAsync("callback.required", $"{number} hung up in {from}");
        }

        _outcome = outcome;
        Publish();
        await JournalAsync("outcome", outcome.ToString());
        var agency = _agency ?? "unclassified";
        Notify("observer.CallEnded", o => o.CallEnded(agency, outcome, SinceArrival()));
        CallLog.Ended(_log, CallId, outcome.ToString(), agency);
    }

    /// <summary>
    /// No agency could be reached (or we could not work the call): the dialplan's own fallback puts
    /// the caller through (continue at the <c>fallback</c> label of the caller's current extension). The variables tell it which agency and region we were trying; for
    /// unclassified calls the agency is "operator" and the dialplan default applies.
    /// Write before act: <c>failover</c> (with the target) is on the ledger before any request goes
    /// to Asterisk, and <c>failover.failed</c> (with Asterisk's error) follows when the hand-over did
    /// not happen, so the ledger tells a hand-over tried from one done.
    /// </summary>
    private async Task HandOverToDialplanAsync()
    {
        await StopActivePromptAsync();
        await StopMusicOnHoldAsync();
        await DestroyBridgeAsync();
        if (_callerGone)
        {
            await JournalAsync(FailoverEvents.Skipped, "caller already gone: nothing to hand over");
            return;
        }
        if (_shedReason is not null)
        {
            // Shed under overload: the fallback label of the caller's own extension routes it; the
            // ROUTING112_* variables would cost three more requests of an Asterisk already behind.
            await JournalAsync(FailoverEvents.Tried, "shed: to the dialplan fallback");
            await ContinueToFallbackAsync();
            return;
        }
        var agency = _agency ?? Routing.RoutePlanner.OperatorAgency;
        await JournalAsync(FailoverEvents.Tried, $"to dialplan: agency {agency}, region {_region}");
        foreach (var (name, value) in new[] { ("ROUTING112_FAILOVER", "1"), ("ROUTING112_AGENCY", agency), ("ROUTING112_REGION", _region) })
        {
            // A variable that cannot be set only makes the fallback less precise: go on. The hand-over
            // continues at the dialplan's fallback label, so it does not depend on ROUTING112_FAILOVER.
            var (set, error) = await CommandWithErrorAsync("setVariable", CallerChannelId, ct => _deps.Telephony.SetVariableAsync(CallerChannelId, name, value, ct));
            if (set == CommandResult.Gone)
            {
                _callerGone = true;
                await JournalAsync(FailoverEvents.Failed, $"setVariable {name} {CallerChannelId} ({set}): {Routing.CallerText.CleanText(error, 200)}");
                return;
            }
        }
        await ContinueToFallbackAsync();
    }

    private async Task ContinueToFallbackAsync()
    {
        var (continued, error) = await CommandWithErrorAsync("continue", CallerChannelId, ct => _deps.Telephony.ContinueInDialplanAsync(CallerChannelId, ct));
        if (continued == CommandResult.Done) return;
        if (continued == CommandResult.Failed)
            CallLog.HandOverFailed(_log, CallId, CallerChannelId, "continue failed; the channel may still be in Stasis");
        await JournalAsync(FailoverEvents.Failed, $"continue {CallerChannelId} ({continued}): {Routing.CallerText.CleanText(error, 200)}");
    }

    private async Task DestroyBridgeAsync()
    {
        if (!_bridgeCreated) return;
        _bridgeCreated = false;
        await CommandAsync("destroyBridge", BridgeId, ct => _deps.Telephony.DestroyBridgeAsync(BridgeId, ct));
    }

    /// <summary>A bug got out of an action: the machine cannot be trusted any more, so the call is
    /// closed by hand, on record, with the caller handed to the dialplan fallback.</summary>
    private async Task CrashEndAsync()
    {
        try
        {
            if (_finishing) return;
            var from = _state;
            _state = CallState.Ended;
            Publish();
            Notify("observer.StateChanged", o => o.StateChanged(from, CallState.Ended));
            await JournalAsync("state", $"{from} -> {CallState.Ended}");
            var cause = _callerGone ? CallTrigger.CallerHungUp : CallTrigger.FailOver;
            await FinishAsync(OutcomeFor(from, cause), from, cause);
        }
        catch (Exception ex)
        {
            CallLog.CloseFailed(_log, CallId, ex);
        }
    }
}
