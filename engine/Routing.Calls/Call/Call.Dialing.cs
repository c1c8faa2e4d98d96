using Routing.Calls.Ports;
using Routing.Calls.Routing;
using Routing.Calls.Video;

namespace Routing.Calls;

/// <summary>Reaching an agency: the caller's bridge, the trunks of the plan (walked by
/// <see cref="DialingPlanWalker"/>), each leg from dial to answer or failure, and the connected call.</summary>
public sealed partial class Call
{
    /// <summary>An agency or call-taker leg we originated, as far as Asterisk has told us.</summary>
    private sealed class Leg(DialAttempt attempt)
    {
        public string ChannelId => attempt.LegChannelId;
        public string LegId => attempt.LegId;
        public RouteStep Step => attempt.Step;
        public bool Answered { get; set; }
        public bool Gone { get; set; }
    }

    private Leg? _leg;
    private bool _bridgeCreated;
    private bool _callerBridged;

    private bool IsCurrentLeg(string? channelId) => _leg is not null && string.Equals(_leg.ChannelId, channelId, StringComparison.Ordinal);

    private async Task OnQueuedAsync()
    {
        _timers.Arm(CallTimer.State, _options.Timers.Queue);
        await RaiseAsync(CallTrigger.StartDialing);
    }

    /// <summary>The call's own mixing bridge (id = call id). A caller being dialled is not put in it
    /// until the agency answers: prompts and music on hold play on the channel, and the answered leg
    /// and the caller then go in with one request (<see cref="OnLegAnsweredAsync"/>). A caller who
    /// waits for a call-taker goes in at once (<paramref name="withCaller"/>), since the call-taker
    /// legs, holds and transfers all work on a bridge that already holds the caller.</summary>
    private async Task<bool> EnsureBridgeAsync(bool withCaller)
    {
        if (!_bridgeCreated)
        {
            var video = BridgeVideoOfCall;
            if (video != BridgeVideo.None) await JournalAsync("video.bridge", $"{video}: the caller's video goes to the call-taker and the agency");
            var created = await CommandAsync("createBridge", BridgeId, ct => _deps.Telephony.CreateBridgeAsync(BridgeId, video, ct));
            if (created != CommandResult.Done)
            {
                await RaiseAsync(CallTrigger.FailOver);
                return false;
            }
            _bridgeCreated = true;
        }
        if (!withCaller || _callerBridged) return true;
        var added = await CallerCommandAsync("addToBridge", ct => _deps.Telephony.AddToBridgeAsync(BridgeId, [CallerChannelId], ct));
        if (added == CommandResult.Failed) await RaiseAsync(CallTrigger.FailOver);
        _callerBridged = added == CommandResult.Done;
        if (_callerBridged) await SetCallerAsVideoSourceAsync();
        return _callerBridged;
    }

    private BridgeVideo BridgeVideoOfCall => _options.Video?.For(_classification.Entry) ?? BridgeVideo.None;

    /// <summary>A single-source video bridge shows its one source to everyone else: the caller, once in the bridge
    /// (Asterisk answers 422 before). A failure costs the picture, not the call: it is on record and the call goes on.</summary>
    private async Task SetCallerAsVideoSourceAsync()
    {
        if (BridgeVideoOfCall != BridgeVideo.SingleSource || _callerGone) return;
        await JournalAsync("video.source", "the caller");
        await CommandAsync("setVideoSource", CallerChannelId, ct => _deps.Telephony.SetVideoSourceAsync(BridgeId, CallerChannelId, ct));
    }

    private async Task OnDialingAsync()
    {
        _timers.Cancel(CallTimer.State);
        _timers.Arm(CallTimer.DialingTotal, _options.Timers.DialingTotal);
        _walker.Follow(_planner.PlanFor(_agency!, _region));
        await JournalAsync("plan", $"{_agency} from {_region}: {string.Join(", ", _walker.Plan.Select(s => s.Trunk.Name))}");
        if (_options.Timers.ConnectingPrompt > TimeSpan.Zero) _timers.Arm(CallTimer.ConnectingPrompt, _options.Timers.ConnectingPrompt);
        else await StartHoldPromptAsync("connecting");
        if (_callerGone) return;
        await DialNextAsync();
    }

    private async Task OnOverflowAsync()
    {
        _timers.Cancel(CallTimer.ConnectingPrompt); // still-trying says more than connecting would
        await StartHoldPromptAsync("still-trying");
        if (_callerGone) return;
        await DialNextAsync();
    }

    private async Task OnOperatorQueueAsync()
    {
        _timers.Arm(CallTimer.State, _options.Operators.QueueTimeout);
        _walker.Follow(_planner.OperatorPlan(_region));
        if (!await EnsureBridgeAsync(withCaller: true)) return;
        await StartHoldPromptAsync("stay-on-line");
        if (_callerGone) return;
        await DialNextAsync();
    }

    /// <summary>Dials the next trunk of the plan whose dial command works. Leaving the region's own
    /// trunks moves the call to Overflow first (its entry dials that trunk); an exhausted plan fails over.</summary>
    private async Task DialNextAsync()
    {
        while (true)
        {
            switch (_walker.Next())
            {
                case DialingStep.LeaveRegion:
                    await RaiseAsync(CallTrigger.Overflowed);
                    return;
                case DialingStep.Dial dial:
                    // Originate first: the bridge is made while the agency rings, not before it is dialled.
                    if (await DialAsync(dial.Attempt))
                    {
                        await EnsureBridgeAsync(withCaller: false);
                        return;
                    }
                    if (_callerGone) return;
                    break;
                case DialingStep.Exhausted exhausted:
                    await JournalAsync("plan.exhausted", $"{exhausted.Attempts} attempts, none answered");
                    await RaiseAsync(CallTrigger.FailOver);
                    return;
            }
        }
    }

    /// <summary>Write before act: the leg is on record and announced to the engine before the dial.</summary>
    private async Task<bool> DialAsync(DialAttempt attempt)
    {
        var step = attempt.Step;
        var channelId = attempt.LegChannelId;
        var leg = new Leg(attempt);
        _leg = leg;
        if (!string.Equals(step.Agency, RoutePlanner.OperatorAgency, StringComparison.OrdinalIgnoreCase)) _putThrough = true;
        Publish();
        await JournalWriteAsync("leg", () => _deps.Journal.LegPlannedAsync(new LegRecord(attempt.LegId, CallId, channelId, step.Agency, step.Region,
            step.Trunk.Name, step.Trunk.Endpoint, attempt.Number, _deps.Time.GetUtcNow()), CancellationToken.None));
        RaiseLegChannelPlanned(channelId);

        _timers.Arm(CallTimer.Ring, attempt.RingTimeout);
        var variables = LegVariables(step);
        await AddLocationReferenceAsync(step, attempt.LegId, variables);
        var request = new DialRequest(channelId, step.Trunk.Endpoint, AgencyCallerId(), attempt.RingTimeout,
            [CallClassifier.DialedArg, step.Agency, CallerChannelId], variables)
        {
            MediaFrom = BridgeVideoOfCall == BridgeVideo.None ? null : CallerChannelId,
        };
        var dialed = await CommandAsync("dial", channelId, ct => _deps.Telephony.DialAsync(request, ct));
        if (dialed == CommandResult.Done) return true;

        _timers.Cancel(CallTimer.Ring);
        leg.Gone = true;
        _leg = null;
        Publish();
        if (dialed == CommandResult.Failed) await HangUpUnconfirmedLegAsync(leg);
        Notify("observer.LegFailed", o => o.LegFailed(step.Agency, step.Trunk.Name, "dial failed"));
        return false;
    }

    /// <summary>
    /// A dial that failed (an error, or no answer within Timers.Answer) does not prove that no channel
    /// exists: Asterisk's originate creates the channel before it replies and dials it on its own
    /// thread, so the agency may already be ringing. Before the next trunk is dialled that possible
    /// channel is hung up, or two agencies would ring for one caller. We chose its id, so this cannot
    /// touch anybody else's channel; Gone simply means it never existed.
    /// </summary>
    private async Task HangUpUnconfirmedLegAsync(Leg leg)
    {
        var result = await CommandAsync("hangup", leg.ChannelId, ct => _deps.Telephony.HangupAsync(leg.ChannelId, HangupReason.NoAnswer, ct));
        var what = result switch
        {
            CommandResult.Done => "hung up in case Asterisk had created it",
            CommandResult.Gone => "no channel was created",
            _ => "hang-up failed too; if it answers it is released as a stray",
        };
        await JournalAsync("leg.failed", $"{leg.Step.Trunk.Name}: dial failed, {what}", leg.LegId);
    }

    private string AgencyCallerId()
    {
        var number = _classification.CallerNumber.Length > 0 ? _classification.CallerNumber : "anonymous";
        var template = string.IsNullOrWhiteSpace(_options.AgencyCallerId) ? "{caller}" : _options.AgencyCallerId;
        return template.Replace("{caller}", number, StringComparison.Ordinal);
    }

    private Dictionary<string, string> LegVariables(RouteStep step)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ROUTING112_CALL_ID"] = CallId,
            ["ROUTING112_AGENCY"] = step.Agency,
            ["ROUTING112_REGION"] = step.Region,
            ["ROUTING112_ENTRY"] = _classification.EntryName,
            ["ROUTING112_LANGUAGE"] = _language,
        };
        if (_classification.DeviceId is { Length: > 0 } device) variables["ROUTING112_DEVICE"] = device;
        if (_classification.Location is { Length: > 0 } location) variables["ROUTING112_LOCATION"] = location;
        AddLocationVariables(variables);
        return variables;
    }

    private Task OnLegRingingAsync() => JournalAsync("leg.ringing", _leg!.Step.Trunk.Name, _leg.LegId);

    /// <summary>The agency answered: stop what the caller hears and bridge the two. A caller not yet in the
    /// bridge goes in with the leg, in one request.</summary>
    private async Task OnLegAnsweredAsync()
    {
        var leg = _leg!;
        _timers.Cancel(CallTimer.Ring);
        _timers.Cancel(CallTimer.ConnectingPrompt);
        leg.Answered = true;
        await JournalAsync("leg.answered", leg.Step.Trunk.Name, leg.LegId);
        await StopActivePromptAsync();
        await StopMusicOnHoldAsync();
        if (_callerGone) return;
        IReadOnlyList<string> channels = _callerBridged ? [leg.ChannelId] : [CallerChannelId, leg.ChannelId];
        var added = await CommandAsync("addToBridge", leg.ChannelId, ct => _deps.Telephony.AddToBridgeAsync(BridgeId, channels, ct));
        if (added == CommandResult.Done)
        {
            var callerJoined = !_callerBridged;
            _callerBridged = true;
            if (callerJoined) await SetCallerAsVideoSourceAsync();
            await RecordLegVideoAsync(leg.Step.Trunk.Name, leg.ChannelId, leg.LegId);
            await RaiseAsync(CallTrigger.Bridged);
            return;
        }
        // The leg vanished or could not be bridged: let it go and try the next trunk. When the caller went
        // in with it, "gone" may mean the caller: the leg is hung up anyway (a gone leg makes that a no-op),
        // and music on hold finds out whether the caller is still there.
        leg.Answered = false;
        if (added == CommandResult.Gone && _callerBridged) leg.Gone = true;
        await StartMusicOnHoldAsync();
        await OnLegFailedAsync("could not be bridged", hangUp: !leg.Gone);
    }

    private async Task OnLegFailedAsync(string reason, bool hangUp)
    {
        if (await ReleaseFailedLegAsync(reason, hangUp) && !_callerGone) await DialNextAsync();
    }

    /// <summary>Lets the current leg go after it failed (recorded, counted, hung up when asked): shared by
    /// routing to an agency and by a call-taker's transfer, which then each try their own next trunk.</summary>
    /// <returns>False when there was no current leg (nothing was done).</returns>
    private async Task<bool> ReleaseFailedLegAsync(string reason, bool hangUp)
    {
        if (_leg is not { } leg) return false;
        _timers.Cancel(CallTimer.Ring);
        _leg = null;
        Publish();
        await JournalAsync("leg.failed", $"{leg.Step.Trunk.Name}: {reason}", leg.LegId);
        Notify("observer.LegFailed", o => o.LegFailed(leg.Step.Agency, leg.Step.Trunk.Name, reason));
        if (hangUp && !leg.Gone) await HangUpLegAsync(leg, HangupReason.NoAnswer);
        return true;
    }

    private async Task HangUpLegAsync(Leg leg, HangupReason reason)
    {
        leg.Gone = true;
        await CommandAsync("hangup", leg.ChannelId, ct => _deps.Telephony.HangupAsync(leg.ChannelId, reason, ct));
    }

    /// <summary>A leg we had given up on answered after all (a late answer after its ring timeout):
    /// the caller is already elsewhere, so release the agency rather than leave it on a dead line.</summary>
    private async Task HangUpStrayLegAsync(string channelId)
    {
        await JournalAsync("leg.stray", "answered after we moved on: hung up", _walker.LegIdOf(channelId));
        await CommandAsync("hangup", channelId, ct => _deps.Telephony.HangupAsync(channelId, HangupReason.AnsweredElsewhere, ct));
    }

    private async Task OnConnectedAsync()
    {
        _timers.Cancel(CallTimer.Ring);
        _timers.Cancel(CallTimer.DialingTotal);
        _timers.Arm(CallTimer.State, _options.Timers.ConnectedMax);
        var step = _leg!.Step;
        Notify("observer.AgencyAnswered", o => o.AgencyAnswered(step.Agency, step.Trunk.Name, SinceArrival()));
        await JournalAsync("connected", $"{step.Trunk.Name} ({step.Stage}) after {SinceArrival()}", _leg.LegId);
    }
}
