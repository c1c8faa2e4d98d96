using Routing.Calls.Ports;
using Routing.Calls.Routing;

namespace Routing.Calls;

public sealed partial class Call
{
    /// <summary>An agency or call-taker leg we originated.</summary>
    private sealed class Leg(string channelId, string legId, RouteStep step)
    {
        public string ChannelId { get; } = channelId;
        public string LegId { get; } = legId;
        public RouteStep Step { get; } = step;
        public bool Answered { get; set; }
        public bool Gone { get; set; }
    }

    private readonly Dictionary<string, string> _legIds = new(StringComparer.Ordinal);
    private IReadOnlyList<RouteStep> _plan = [];
    private int _step = -1;
    private int _attempts;
    private Leg? _leg;
    private bool _bridgeCreated;
    private bool _mohOn;

    private bool IsCurrentLeg(string? channelId) => _leg is not null && string.Equals(_leg.ChannelId, channelId, StringComparison.Ordinal);

    private string? LegIdOf(string? channelId) => channelId is not null && _legIds.TryGetValue(channelId, out var id) ? id : null;

    private async Task OnQueuedAsync()
    {
        _timers.Arm(CallTimer.State, _options.Timers.Queue);
        if (!await EnsureBridgeAsync()) return;
        await StartHoldPromptAsync("connecting");
        await RaiseAsync(CallTrigger.StartDialing);
    }

    /// <summary>The caller waits in the call's own mixing bridge (id = call id), so the agency leg
    /// only has to be added when it answers.</summary>
    private async Task<bool> EnsureBridgeAsync()
    {
        if (_bridgeCreated) return true;
        var created = await CommandAsync("createBridge", BridgeId, ct => _deps.Telephony.CreateBridgeAsync(BridgeId, ct));
        if (created != CommandResult.Done)
        {
            await RaiseAsync(CallTrigger.FailOver);
            return false;
        }
        _bridgeCreated = true;
        var added = await CallerCommandAsync("addToBridge", ct => _deps.Telephony.AddToBridgeAsync(BridgeId, [CallerChannelId], ct));
        if (added == CommandResult.Failed) await RaiseAsync(CallTrigger.FailOver);
        return added == CommandResult.Done;
    }

    /// <summary>A prompt for a waiting caller; music on hold resumes when it is over, so the two never
    /// talk over each other.</summary>
    private async Task StartHoldPromptAsync(string prompt)
    {
        await StopMusicOnHoldAsync();
        if (_callerGone) return;
        await PlayPromptAsync(prompt, _language);
    }

    private async Task StartMusicOnHoldAsync()
    {
        if (_mohOn || _callerGone) return;
        if (await CallerCommandAsync("startMoh", ct => _deps.Telephony.StartMusicOnHoldAsync(CallerChannelId, ct)) == CommandResult.Done) _mohOn = true;
    }

    private async Task StopMusicOnHoldAsync()
    {
        if (!_mohOn || _callerGone) return;
        _mohOn = false;
        await CallerCommandAsync("stopMoh", ct => _deps.Telephony.StopMusicOnHoldAsync(CallerChannelId, ct));
    }

    private async Task OnDialingAsync()
    {
        _timers.Cancel(CallTimer.State);
        _timers.Arm(CallTimer.DialingTotal, _options.Timers.DialingTotal);
        _plan = _planner.PlanFor(_agency!, _region);
        _step = -1;
        await JournalAsync("plan", $"{_agency} from {_region}: {string.Join(", ", _plan.Select(s => s.Trunk.Name))}");
        await DialNextAsync();
    }

    private async Task OnOverflowAsync()
    {
        await StartHoldPromptAsync("still-trying");
        if (_callerGone) return;
        await DialFromCurrentStepAsync();
    }

    private async Task OnOperatorQueueAsync()
    {
        _timers.Arm(CallTimer.State, _options.Operators.QueueTimeout);
        _plan = _planner.OperatorPlan(_region);
        _step = -1;
        if (!await EnsureBridgeAsync()) return;
        await StartHoldPromptAsync("stay-on-line");
        if (_callerGone) return;
        await DialNextAsync();
    }

    private Task DialNextAsync()
    {
        _step++;
        return DialFromCurrentStepAsync();
    }

    /// <summary>Dials the current step, or the next one whose dial command works. Leaving the
    /// region's own trunks moves the call to Overflow first; an exhausted plan fails over.</summary>
    private async Task DialFromCurrentStepAsync()
    {
        for (; _step < _plan.Count; _step++)
        {
            var step = _plan[_step];
            if (_state == CallState.Dialing && step.Stage is RouteStage.Overflow or RouteStage.NationalFallback)
            {
                await RaiseAsync(CallTrigger.Overflowed); // Overflow's entry dials this same step
                return;
            }
            if (await DialStepAsync(step) || _callerGone) return;
        }
        await JournalAsync("plan.exhausted", $"{_attempts} attempts, none answered");
        await RaiseAsync(CallTrigger.FailOver);
    }

    /// <summary>Write before act: the leg is on record and announced to the engine before the dial.</summary>
    private async Task<bool> DialStepAsync(RouteStep step)
    {
        _attempts++;
        var channelId = $"{step.Agency}-{CallerChannelId}-{_attempts}";
        var legId = $"{CallId}-leg{_attempts}";
        var leg = new Leg(channelId, legId, step);
        _leg = leg;
        _legIds[channelId] = legId;
        Publish();
        await JournalWriteAsync("leg", () => _deps.Journal.LegPlannedAsync(new LegRecord(legId, CallId, channelId, step.Agency, step.Region,
            step.Trunk.Name, step.Trunk.Endpoint, _attempts, _deps.Time.GetUtcNow()), CancellationToken.None));
        RaiseLegChannelPlanned(channelId);

        _timers.Arm(CallTimer.Ring, step.Trunk.RingTimeout);
        var request = new DialRequest(channelId, step.Trunk.Endpoint, AgencyCallerId(), step.Trunk.RingTimeout,
            [CallClassifier.DialedArg, step.Agency, CallerChannelId], LegVariables(step));
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
        return variables;
    }

    private Task OnLegRingingAsync() => JournalAsync("leg.ringing", _leg!.Step.Trunk.Name, _leg.LegId);

    /// <summary>The agency answered: stop what the caller hears and put both in the bridge.</summary>
    private async Task OnLegAnsweredAsync()
    {
        var leg = _leg!;
        _timers.Cancel(CallTimer.Ring);
        leg.Answered = true;
        await JournalAsync("leg.answered", leg.Step.Trunk.Name, leg.LegId);
        await StopActivePromptAsync();
        await StopMusicOnHoldAsync();
        if (_callerGone) return;
        var added = await CommandAsync("addToBridge", leg.ChannelId, ct => _deps.Telephony.AddToBridgeAsync(BridgeId, [leg.ChannelId], ct));
        if (added == CommandResult.Done)
        {
            await RaiseAsync(CallTrigger.Bridged);
            return;
        }
        // The leg vanished or could not be bridged: let it go and try the next trunk.
        leg.Answered = false;
        if (added == CommandResult.Gone) leg.Gone = true;
        await StartMusicOnHoldAsync();
        await OnLegFailedAsync("could not be bridged", hangUp: !leg.Gone);
    }

    private async Task OnLegFailedAsync(string reason, bool hangUp)
    {
        if (_leg is not { } leg) return;
        _timers.Cancel(CallTimer.Ring);
        _leg = null;
        Publish();
        await JournalAsync("leg.failed", $"{leg.Step.Trunk.Name}: {reason}", leg.LegId);
        Notify("observer.LegFailed", o => o.LegFailed(leg.Step.Agency, leg.Step.Trunk.Name, reason));
        if (hangUp && !leg.Gone) await HangUpLegAsync(leg, HangupReason.NoAnswer);
        await DialNextAsync();
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
        await JournalAsync("leg.stray", "answered after we moved on: hung up", LegIdOf(channelId));
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
