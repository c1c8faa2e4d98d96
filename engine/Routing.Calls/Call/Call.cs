using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Routing.Calls.Ports;
using Routing.Calls.Routing;

namespace Routing.Calls;

/// <summary>
/// One emergency call: an actor with its own mailbox and a transition table shared by all calls
/// (<see cref="CallMachine"/>, CONVENTIONS 9–11). Inputs are posted from any thread and handled one at a
/// time, in order, by the call's loop; the machine is fired only from that loop (queued, so a follow-up
/// trigger raised inside an action runs after the current transition, still in the loop).
/// The state lives in this object, not in the table. Nothing here throws to the engine: command
/// failures, journal failures and bugs become journal events and, at worst, a dialplan hand-over.
/// </summary>
public sealed partial class Call
{
    private readonly CallArrival _arrival;
    private readonly CallDependencies _deps;
    private readonly RoutingOptions _options;
    private readonly Classification _classification;
    private readonly RoutePlanner _planner;
    private readonly ILogger _log;
    private readonly Channel<CallInput> _mailbox = Channel.CreateUnbounded<CallInput>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Records handed to the journal and not yet waited for (<see cref="SettleJournalAsync"/>), in order.</summary>
    private readonly List<(string Kind, ValueTask Write)> _unsettled = [];
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CallTimers _timers;
    private readonly IvrMenu _menu;
    private readonly DialingPlanWalker _walker;
    private CallSnapshot _snapshot;
    private int _started;
    private int _running;
    private int _posted;
    private int _handled;

    // State of the call, owned by the loop.
    private CallState _state = CallState.Arrived;
    private string? _agency;
    private string _region;
    private string _language;
    private CallOutcome? _outcome;
    private bool _callerGone;
    private string? _shedReason;

    public Call(CallArrival arrival, CallDependencies deps)
    {
        ArgumentNullException.ThrowIfNull(arrival);
        ArgumentNullException.ThrowIfNull(deps);
        _arrival = arrival;
        _deps = deps;
        _options = deps.Options;
        _log = deps.Logger ?? NullLogger.Instance;
        _planner = new RoutePlanner(_options);
        _classification = new CallClassifier(_options).Classify(arrival);
        CallId = Guid.CreateVersion7(deps.Time.GetUtcNow()).ToString();
        CallerChannelId = arrival.CallerChannelId ?? "";
        BridgeId = CallId;
        _agency = _classification.Agency;
        _region = _classification.Region;
        _language = CallLanguage.Initial(_classification, arrival.ChannelLanguage, _options.Ivr);
        _timers = new CallTimers(deps.Time, Enqueue);
        _menu = new IvrMenu(_options);
        _walker = new DialingPlanWalker(CallId, CallerChannelId);
        _snapshot = MakeSnapshot();
    }

    /// <summary>Our id for the call (UUIDv7), made at construction; also the bridge id.</summary>
    public string CallId { get; }

    /// <summary>Asterisk's id of the caller's channel.</summary>
    public string CallerChannelId { get; }

    /// <summary>How the arrival was classified (cleaned caller number, entry, agency, region).</summary>
    public Classification Classification => _classification;

    /// <summary>When the caller reached the engine (StasisStart).</summary>
    public DateTimeOffset ArrivedAt => _arrival.At;

    /// <summary>Thread-safe picture of the call, replaced after every change.</summary>
    public CallSnapshot Snapshot => Volatile.Read(ref _snapshot);

    /// <summary>Completes once the call is Ended and cleaned up. Never faults.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Raised inside the call's loop with an agency leg's channel id before it is dialled,
    /// so the engine can route that leg's events to this call.</summary>
    public event Action<string>? LegChannelPlanned;

    private string BridgeId { get; }

    /// <summary>Starts the mailbox loop: records the call, then answers. Idempotent.</summary>
    public void Start() => StartLoop();

    /// <summary>Starts the call only to shed it: recorded (call, <c>shed</c> event with
    /// <paramref name="reason"/>, outcome <see cref="CallOutcome.Shed"/>) and handed at once, unanswered and
    /// with one request, to the dialplan fallback. For a new caller the overloaded engine must not take on.</summary>
    public void StartShed(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (Volatile.Read(ref _started) == 1) return;
        _shedReason = reason;
        StartLoop();
    }

    private void StartLoop()
    {
        if (Interlocked.Exchange(ref _started, 1) == 1) return;
        Interlocked.Increment(ref _posted); // Begin counts as the first input
        Volatile.Write(ref _running, 1);
        _ = Task.Run(RunAsync);
    }

    /// <summary>Queues an input for the call's loop. Never blocks; false once the call has ended.</summary>
    public bool Post(CallInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Enqueue(input);
    }

    private bool Enqueue(CallInput input)
    {
        Interlocked.Increment(ref _posted);
        if (_mailbox.Writer.TryWrite(input)) return true;
        Interlocked.Decrement(ref _posted);
        return false;
    }

    /// <summary>True when the call has started and handled every input posted so far. Lets tests
    /// wait for a condition instead of sleeping.</summary>
    internal bool IsIdle => Volatile.Read(ref _running) == 1 && Volatile.Read(ref _posted) == Volatile.Read(ref _handled);

    private async Task RunAsync()
    {
        try
        {
            await FireAsync(CallTrigger.Begin);
            await SettleJournalAsync();
            Interlocked.Increment(ref _handled);
            while (_state != CallState.Ended && await _mailbox.Reader.WaitToReadAsync())
            {
                while (_state != CallState.Ended && _mailbox.Reader.TryRead(out var input))
                {
                    await HandleAsync(input);
                    await SettleJournalAsync();
                    Interlocked.Increment(ref _handled);
                }
            }
        }
        catch (Exception ex)
        {
            CallLog.CallCrashed(_log, CallId, _state.ToString(), ex);
            await JournalAsync("call.error", $"{ex.GetType().Name} in {_state}");
            await CrashEndAsync();
        }
        finally
        {
            _mailbox.Writer.TryComplete();
            await DrainAfterEndAsync();
            await SettleJournalAsync();
            _timers.Dispose();
            // Whatever is left can no longer be handled; count it so IsIdle tells the truth.
            Volatile.Write(ref _handled, Volatile.Read(ref _posted));
            _completion.TrySetResult();
        }
    }

    /// <summary>Inputs that arrived while the call was ending (the duplicate hang-ups, the leg's own
    /// ChannelDestroyed) still go through the machine so that Ended's Ignore rules apply on record.</summary>
    private async Task DrainAfterEndAsync()
    {
        var budget = 1000; // bounded: the writer is complete, but never trust a count we did not make
        while (budget-- > 0 && _mailbox.Reader.TryRead(out var input))
        {
            try
            {
                await HandleAsync(input);
            }
            catch (Exception ex)
            {
                CallLog.CallCrashed(_log, CallId, _state.ToString(), ex);
            }
        }
    }

    /// <summary>Translates one input into a trigger. Leg inputs about a leg that is no longer the
    /// current one (we moved on after a timeout, or it answered late) never reach the machine.</summary>
    private async Task HandleAsync(CallInput input)
    {
        switch (input)
        {
            case CallInput.CallerDtmf dtmf:
                await FireAsync(new CallFiring(CallTrigger.Digit, Digit: dtmf.Digit));
                break;
            case CallInput.PlaybackFinished finished:
                await FireAsync(new CallFiring(CallTrigger.PlaybackFinished, Text: finished.PlaybackId ?? ""));
                break;
            case CallInput.CallerHungUp:
                _callerGone = true;
                await FireAsync(CallTrigger.CallerHungUp);
                break;
            case CallInput.LegRinging ringing when IsCurrentLeg(ringing.LegChannelId):
                await FireAsync(CallTrigger.LegRinging);
                break;
            case CallInput.LegAnswered answered when IsCurrentLeg(answered.LegChannelId):
                await FireAsync(CallTrigger.LegAnswered);
                break;
            case CallInput.LegAnswered answered:
                await HangUpStrayLegAsync(answered.LegChannelId);
                break;
            case CallInput.LegEnded ended when IsCallTakerChannel(ended.LegChannelId):
                await OnCallTakerDeviceLeftAsync(ended.Cause);
                break;
            case CallInput.LegEnded ended when IsCurrentLeg(ended.LegChannelId):
                _leg!.Gone = true;
                var reason = $"cause {ended.Cause} {CallerText.CleanText(ended.CauseText, 40)}".TrimEnd();
                if (_leg.Answered) await FireAsync(CallTrigger.AgencyHungUp);
                else await FireAsync(new CallFiring(CallTrigger.LegFailed, Text: reason));
                break;
            case CallInput.LegEnded ended:
                await JournalAsync("leg.ended", $"earlier leg, cause {ended.Cause}", _walker.LegIdOf(ended.LegChannelId));
                break;
            case CallInput.LegRinging:
                break; // an earlier leg still ringing; we already hung it up
            case CallInput.CallTakerAssigned assigned:
                await OnCallTakerAssignedAsync(assigned);
                break;
            case CallInput.QueuePositionAnnounced announced:
                await OnQueuePositionAsync(announced.Place);
                break;
            case CallInput.CentreGaveUp gaveUp when _state == CallState.OperatorQueue:
                await JournalAsync("centre.gaveup", gaveUp.Reason);
                await FireAsync(CallTrigger.FailOver);
                break;
            case CallInput.CentreGaveUp:
                break; // the call already left the queue
            case CallInput.OperatorRequest request:
                var reply = await OnOperatorRequestAsync(request);
                await SettleJournalAsync();
                request.Reply.TrySetResult(reply);
                break;
            case CallInput.Reconciled:
                await FireAsync(CallTrigger.Reconciled);
                break;
            case CallInput.EngineStopping when CanFire(CallTrigger.FailOver):
                await JournalAsync("engine.stopping", $"handed to the dialplan fallback from {_state}");
                await FireAsync(CallTrigger.FailOver);
                break;
            case CallInput.EngineStopping:
                await JournalAsync("engine.stopping", $"left as it is in {_state}");
                break;
            case CallInput.LocationReported reported:
                await OnLocationAsync(reported.Location, reported.RoutingAllowed);
                break;
            case CallInput.LocationRejected rejected:
                await OnLocationRejectedAsync(rejected.Source, rejected.Reason);
                break;
            case CallInput.LocationNote note:
                await JournalAsync("location.note", CallerText.CleanText(note.Note, 400));
                break;
            case CallInput.TimerElapsed elapsed when _timers.TryConsume(elapsed):
                await FireAsync(new CallFiring(CallTrigger.Timeout, Timer: elapsed.Timer));
                break;
            case CallInput.TimerElapsed:
                break; // re-armed or cancelled after it fired: stale on purpose
            default:
                await JournalAsync("input.ignored", $"unknown input {input.GetType().Name}");
                break;
        }
    }

    private CallSnapshot MakeSnapshot() =>
        new(CallId, _state, _outcome, _agency, _region, _language, _classification.EntryName, _leg?.ChannelId, _walker.Attempts,
            _callTaker, _callTakerPresent, _onHold, _decision, _transfer, _ivrHint, _answerTime, _location, _locationRule);

    /// <summary>Raised in the call's loop after the snapshot changed (the operator event stream). Handlers
    /// must not block.</summary>
    public event Action<Call, CallSnapshot, CallSnapshot>? Published;

    private void Publish()
    {
        var next = MakeSnapshot();
        var previous = Volatile.Read(ref _snapshot);
        Volatile.Write(ref _snapshot, next);
        if (next.Equals(previous) || Published is not { } published) return;
        try
        {
            published(this, previous, next);
        }
        catch (Exception ex)
        {
            CallLog.ListenerFailed(_log, CallId, nameof(Published), ex);
        }
    }

    private TimeSpan SinceArrival()
    {
        var elapsed = _deps.Time.GetUtcNow() - _arrival.At;
        return elapsed < TimeSpan.Zero ? TimeSpan.Zero : elapsed;
    }
}
