using Routing.Calls.Ports;

namespace Routing.Calls;

/// <summary>Names of <see cref="TransferProgress.State"/> (the console shows them as they are).</summary>
public static class TransferStates
{
    public const string Dialing = "dialing";
    public const string Ringing = "ringing";
    public const string Answered = "answered";
    public const string Failed = "failed";
    public const string Complete = "complete";
    public const string Cancelled = "cancelled";

    /// <summary>The agency answered, then hung up before the call-taker left: the caller is still with the call-taker.</summary>
    public const string Ended = "ended";
}

/// <summary>
/// Transfers by the call-taker. Warm, engine-held: the engine walks the agency's plan for the caller's region
/// (the same trunks and fallbacks as an IVR-classified call) while the call-taker stays with the caller; the
/// agency that answers joins the same bridge (three parties); the call-taker leaves when ready and caller and
/// agency go on (Connected). If no trunk answers, the transfer fails and the caller is still with the
/// call-taker — never dropped. Blind: the call-taker leaves at once and the call is routed like a classified one.
/// </summary>
public sealed partial class Call
{
    private TransferProgress? _transfer;

    private async Task StartTransferAsync(CallTakerAction.Transfer transfer, string by)
    {
        if (transfer.Mode == TransferMode.Blind)
        {
            _transfer = new TransferProgress(transfer.Agency, TransferMode.Blind, TransferStates.Dialing, null, 0);
            await JournalAsync("transfer.tried", $"blind {transfer.Agency} by {by}");
            await LeaveCallTakerAsync($"blind transfer to {transfer.Agency}");
            _deps.Centre!.CallTakerLeft(CallId, _callTaker!);
            _agency = transfer.Agency;
            Publish();
            await _machine.FireAsync(CallTrigger.Classified);
            return;
        }

        _transfer = new TransferProgress(transfer.Agency, TransferMode.Warm, TransferStates.Dialing, null, 0);
        Publish();
        _walker.Follow(_planner.PlanFor(transfer.Agency, _region));
        await JournalAsync("transfer.plan", $"warm {transfer.Agency} from {_region} by {by}: {string.Join(", ", _walker.Plan.Select(s => s.Trunk.Name))}");
        await TransferDialNextAsync();
    }

    /// <summary>The next trunk of the transfer's plan; leaving the region needs no prompt here (the caller is
    /// talking to the call-taker). An exhausted plan fails the transfer, never the call.</summary>
    private async Task TransferDialNextAsync()
    {
        while (_transfer is { State: TransferStates.Dialing or TransferStates.Ringing } transfer && !_callerGone)
        {
            switch (_walker.Next())
            {
                case DialingStep.LeaveRegion leave:
                    await JournalAsync("transfer.overflow", $"{transfer.Agency}: leaving {_region} for {leave.Step.Region} ({leave.Step.Stage})");
                    break;
                case DialingStep.Dial dial:
                    _transfer = transfer with { State = TransferStates.Dialing, Trunk = dial.Attempt.Step.Trunk.Name, Attempt = dial.Attempt.Number };
                    Publish();
                    await JournalAsync("transfer.tried", $"warm {transfer.Agency}: {dial.Attempt.Step.Trunk.Name} (attempt {dial.Attempt.Number})");
                    if (await DialAsync(dial.Attempt)) return;
                    break;
                case DialingStep.Exhausted exhausted:
                    _transfer = transfer with { State = TransferStates.Failed };
                    Publish();
                    await JournalAsync("transfer.failed", $"{transfer.Agency}: no trunk answered after {exhausted.Attempts} attempts; the caller stays with {_callTaker}");
                    return;
            }
        }
    }

    private async Task OnTransferRingingAsync()
    {
        await JournalAsync("leg.ringing", _leg!.Step.Trunk.Name, _leg.LegId);
        if (_transfer is { State: TransferStates.Dialing } transfer)
        {
            _transfer = transfer with { State = TransferStates.Ringing };
            Publish();
        }
    }

    /// <summary>The agency answered: it joins the caller and the call-taker in the call's bridge.</summary>
    private async Task OnTransferAnsweredAsync()
    {
        var leg = _leg!;
        _timers.Cancel(CallTimer.Ring);
        leg.Answered = true;
        await JournalAsync("leg.answered", leg.Step.Trunk.Name, leg.LegId);
        if (_callerGone) return;
        var added = await CommandAsync("addToBridge", leg.ChannelId, ct => _deps.Telephony.AddToBridgeAsync(BridgeId, [leg.ChannelId], ct));
        if (added == CommandResult.Done)
        {
            _transfer = _transfer! with { State = TransferStates.Answered, Trunk = leg.Step.Trunk.Name, Attempt = _walker.Attempts };
            Publish();
            await JournalAsync("transfer.answered", $"{leg.Step.Agency}: {leg.Step.Trunk.Name}; caller, {_callTaker} and agency in one bridge", leg.LegId);
            await RecordLegVideoAsync(leg.Step.Trunk.Name, leg.ChannelId, leg.LegId);
            return;
        }
        leg.Answered = false;
        if (added == CommandResult.Gone) leg.Gone = true;
        await OnTransferLegFailedAsync("could not be bridged", hangUp: !leg.Gone);
    }

    private async Task OnTransferLegFailedAsync(string reason, bool hangUp)
    {
        if (await ReleaseFailedLegAsync(reason, hangUp)) await TransferDialNextAsync();
    }

    /// <summary>The agency hung up before the call-taker left: the caller is still with the call-taker.</summary>
    private async Task OnTransferAgencyLeftAsync()
    {
        if (_leg is not { } leg) return;
        _leg = null;
        _transfer = _transfer is null ? null : _transfer with { State = TransferStates.Ended };
        Publish();
        await JournalAsync("transfer.ended", $"{leg.Step.Trunk.Name} hung up before {_callTaker} left; the caller stays with the call-taker", leg.LegId);
    }

    /// <summary>The call-taker leaves; caller and agency go on (Connected).</summary>
    private async Task CompleteTransferAsync(string reason)
    {
        await LeaveCallTakerAsync(reason);
        _deps.Centre!.CallTakerLeft(CallId, _callTaker!);
        _agency = _transfer!.Agency;
        _transfer = _transfer with { State = TransferStates.Complete };
        Publish();
        await _machine.FireAsync(CallTrigger.TransferCompleted);
    }

    /// <summary>Stops a transfer under way: its ringing or answered agency leg is hung up.</summary>
    private async Task CancelTransferLegAsync()
    {
        if (_transfer is not { State: TransferStates.Dialing or TransferStates.Ringing or TransferStates.Answered } transfer) return;
        _transfer = transfer with { State = TransferStates.Cancelled };
        _timers.Cancel(CallTimer.Ring);
        if (_leg is { } leg)
        {
            _leg = null;
            if (!leg.Gone) await HangUpLegAsync(leg, HangupReason.Normal);
        }
        Publish();
    }
}
