using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Routing.Asterisk.Ari;
using Routing.Calls;
using Routing.Calls.Callbacks;
using Routing.Calls.Ports;
using Routing.Engine.Centre;
using Routing.Engine.Metrics;
using Routing.Engine.Operators;

namespace Routing.Engine.Callbacks;

/// <summary>What every call back needs, shared by all of them.</summary>
internal sealed record CallbackCallContext(
    CallbackOptions Options, CallbackDesk Desk, ITelephony Telephony, ICallJournal Journal, CentreService Centre,
    CentreEventHub Hub, TimeProvider Time, ILogger Logger);

/// <summary>
/// One call back, engine-held: the call-taker's phone is rung first; when the call-taker answers, the caller's
/// number is dialled through <see cref="CallbackOptions.DialString"/> presenting the 112 centre, and the two are
/// bridged in a bridge of ours. The task moves attempted → reached (the caller answered) or stays attempted with
/// a "not reached" result (busy, no answer, the call-taker's phone did not answer). Every step is on the ledger
/// (the original call's story) before it is acted on. Events are handled one at a time from its own mailbox,
/// in the order the ARI reader saw them, like a <see cref="Call"/>.
/// </summary>
internal sealed class CallbackCall
{
    public const string LegAgency = "callback";

    private enum Phase { RingingCallTaker, DialingCaller, Talking, Over }

    private readonly CallbackCallContext context;
    private readonly Channel<Func<Task>> mailbox = Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource<CallbackDialResult> result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string endpoint;
    private Phase phase = Phase.RingingCallTaker;
    private bool callTakerAlive;
    private bool callerAlive;
    private bool bridged;
    private bool finished;
    private DateTimeOffset talkingSince;

    /// <param name="byEngine">The engine's own attempt (<see cref="CallbackOptions.AutoAttempt"/>): the call-taker's phone is
    /// rung to be answered by hand, never with the auto-answer headers, whatever the position's offer mode.</param>
    public CallbackCall(CallbackCallContext context, string callId, string callbackId, int attempt, string number, string position, string endpoint, string user, bool byEngine = false)
    {
        ByEngine = byEngine;
        this.context = context;
        CallId = callId;
        CallbackId = callbackId;
        Attempt = attempt;
        Number = number;
        Position = position;
        this.endpoint = endpoint;
        User = user;
    }

    public string CallId { get; }

    /// <summary>The id the centre knows the call back by; also its bridge's id and its channels' prefix.</summary>
    public string CallbackId { get; }

    public int Attempt { get; }

    public string Number { get; }

    public string Position { get; }

    public string User { get; }

    /// <summary>Started by the engine (<see cref="CallbackOptions.AutoAttempt"/>), not by the call-taker.</summary>
    public bool ByEngine { get; }

    public string CallTakerChannelId => $"{CallbackId}-calltaker";

    public string CallerChannelId => $"{CallbackId}-caller";

    public string BridgeId => CallbackId;

    private string By => $"{User}@{Position}";

    /// <summary>Whether a person answered, once that is known.</summary>
    public Task<CallbackDialResult> Result => result.Task;

    /// <summary>Completes when both legs are gone and the position has been let go.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    public string State => phase switch
    {
        Phase.RingingCallTaker => "ringing-calltaker",
        Phase.DialingCaller => "dialing",
        Phase.Talking => "talking",
        _ => "over",
    };

    /// <summary>Write before act: the attempt, the call-taker's leg and the ring are on record before the phone
    /// rings. Answers null once it is under way (a failed ring is then told as "not reached"), or the error
    /// that stopped it before anything was dialled.</summary>
    public async Task<ApiError?> StartAsync(Action<CallbackCall> onOver)
    {
        try
        {
            await context.Desk.TransitionAsync(CallId, t => t.Attempt(By, $"calling {Number} back from {Position}"), CancellationToken.None).ConfigureAwait(false);
        }
        catch (CallbackRefusedException ex)
        {
            return Abandon(onOver, new ApiError(409, "state", ex.Message));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return Abandon(onOver, new ApiError(503, "unavailable", $"the ledger did not take the attempt: {ex.Message}"));
        }

        await LegPlannedAsync($"{CallbackId}-calltaker", CallTakerChannelId, Position, endpoint).ConfigureAwait(false);
        var ringing = ByEngine
            ? $"{Position} ({User}): the engine's own attempt rings the call-taker's phone first, to be answered by hand (no auto-answer)"
            : $"{Position} ({User}): ringing the call-taker's phone first";
        await JournalAsync("callback.ringing", ringing).ConfigureAwait(false);
        Publish(ByEngine ? $"the engine calls {Number} back: pick up your phone to take it" : null);
        callTakerAlive = true;
        Completion = RunAsync(onOver);
        try
        {
            await context.Telephony.DialAsync(new DialRequest(CallTakerChannelId, endpoint, $"\"Callback\" <{Number}>", context.Options.CallTakerRingTimeout,
                [CallClassifier.DialedArg, LegAgency, CallId], Variables(Position)), CancellationToken.None).ConfigureAwait(false);
        }
        catch (TelephonyException ex)
        {
            Post(async () =>
            {
                callTakerAlive = false;
                await NotReachedAsync("calltaker-unreachable", $"{Position}'s phone could not be rung: {ex.Message}").ConfigureAwait(false);
            });
        }

        return null;
    }

    /// <summary>From the ARI reader: the channel is one of ours.</summary>
    public void OnAriEvent(AriEvent ariEvent, string channelId)
    {
        switch (ariEvent)
        {
            case StasisStart:
                Post(() => AnsweredAsync(channelId));
                break;
            case ChannelDestroyed destroyed:
                Post(() => EndedAsync(channelId, destroyed.Cause, destroyed.CauseTxt ?? ""));
                break;
        }
    }

    /// <summary>The call-taker ends the call back from the console: both legs are hung up, the rest follows
    /// from their ends.</summary>
    public void HangUp(string by) => Post(async () =>
    {
        if (finished)
        {
            return;
        }

        await JournalAsync("callback.hangup.requested", $"by {by}").ConfigureAwait(false);
        await HangUpAsync(CallerChannelId, callerAlive).ConfigureAwait(false);
        await HangUpAsync(CallTakerChannelId, callTakerAlive).ConfigureAwait(false);
    });

    private void Post(Func<Task> work)
    {
        if (!mailbox.Writer.TryWrite(work))
        {
            LogMessages.CallbackEventAfterEnd(context.Logger, CallbackId);
        }
    }

    private async Task RunAsync(Action<CallbackCall> onOver)
    {
        await Task.Yield();
        while (await mailbox.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (mailbox.Reader.TryRead(out var work))
            {
                try
                {
                    await work().ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    LogMessages.CallbackStepFailed(context.Logger, CallbackId, ex.Message, ex);
                }

                if (!callTakerAlive && !callerAlive && !finished)
                {
                    await FinishAsync(onOver).ConfigureAwait(false);
                    return;
                }
            }
        }
    }

    private async Task AnsweredAsync(string channelId)
    {
        if (channelId == CallTakerChannelId && phase == Phase.RingingCallTaker)
        {
            await JournalAsync("callback.calltaker.answered", $"{Position} ({User}) answered; dialling {Number}").ConfigureAwait(false);
            await context.Telephony.CreateBridgeAsync(BridgeId, global::Routing.Calls.Video.BridgeVideo.None, CancellationToken.None).ConfigureAwait(false);
            bridged = true;
            await context.Telephony.AddToBridgeAsync(BridgeId, [CallTakerChannelId], CancellationToken.None).ConfigureAwait(false);
            var dialString = context.Options.DialString.Replace("{number}", Number, StringComparison.Ordinal);
            await LegPlannedAsync($"{CallbackId}-caller", CallerChannelId, TrunkOf(dialString), dialString).ConfigureAwait(false);
            await JournalAsync("callback.dialing", $"{Number} through {dialString}, presented as {context.Options.CallerId}").ConfigureAwait(false);
            phase = Phase.DialingCaller;
            Publish(null);
            callerAlive = true;
            try
            {
                await context.Telephony.DialAsync(new DialRequest(CallerChannelId, dialString, context.Options.CallerId, context.Options.RingTimeout,
                    [CallClassifier.DialedArg, LegAgency, CallId], Variables(null)), CancellationToken.None).ConfigureAwait(false);
            }
            catch (TelephonyException ex)
            {
                callerAlive = false;
                await NotReachedAsync("failed", $"{Number} could not be dialled: {ex.Message}").ConfigureAwait(false);
                await HangUpAsync(CallTakerChannelId, callTakerAlive).ConfigureAwait(false);
            }

            return;
        }

        if (channelId == CallerChannelId && phase == Phase.DialingCaller)
        {
            phase = Phase.Talking;
            talkingSince = context.Time.GetUtcNow();
            await ReachedAsync().ConfigureAwait(false);
            await context.Telephony.AddToBridgeAsync(BridgeId, [CallerChannelId], CancellationToken.None).ConfigureAwait(false);
            return;
        }

        // Answered after the call back moved on (the other side hung up meanwhile): nobody to talk to.
        await HangUpAsync(channelId, alive: true).ConfigureAwait(false);
    }

    private async Task EndedAsync(string channelId, int cause, string causeText)
    {
        var why = $"cause {cause.ToString(CultureInfo.InvariantCulture)} {causeText}".TrimEnd();
        if (channelId == CallTakerChannelId)
        {
            callTakerAlive = false;
            switch (phase)
            {
                case Phase.RingingCallTaker:
                    await NotReachedAsync("calltaker-no-answer", $"{Position}'s phone did not answer ({why})").ConfigureAwait(false);
                    break;
                case Phase.DialingCaller:
                    await NotReachedAsync("calltaker-hung-up", $"{Position} hung up before {Number} answered").ConfigureAwait(false);
                    await HangUpAsync(CallerChannelId, callerAlive).ConfigureAwait(false);
                    break;
                case Phase.Talking:
                    await EndedTalkingAsync($"{Position} hung up").ConfigureAwait(false);
                    await HangUpAsync(CallerChannelId, callerAlive).ConfigureAwait(false);
                    break;
            }
        }
        else if (channelId == CallerChannelId)
        {
            callerAlive = false;
            switch (phase)
            {
                case Phase.DialingCaller:
                    var (label, text) = Unreached(cause);
                    await NotReachedAsync(label, $"{Number}: {text} ({why})").ConfigureAwait(false);
                    await HangUpAsync(CallTakerChannelId, callTakerAlive).ConfigureAwait(false);
                    break;
                case Phase.Talking:
                    await EndedTalkingAsync("the caller hung up").ConfigureAwait(false);
                    await HangUpAsync(CallTakerChannelId, callTakerAlive).ConfigureAwait(false);
                    break;
            }
        }
    }

    private async Task ReachedAsync()
    {
        try
        {
            await context.Desk.TransitionAsync(CallId, t => t.Reach(By, $"{Number} answered; talking to {Position}"), CancellationToken.None).ConfigureAwait(false);
        }
        catch (CallbackRefusedException ex)
        {
            // Closed by a supervisor while it rang: a person answered all the same, so they still talk; the story says so.
            await JournalAsync("callback.answered", $"{Number} answered after the task changed: {ex.Message}").ConfigureAwait(false);
        }

        EngineMetrics.CallbackCalls.WithLabels("reached").Inc();
        result.TrySetResult(new CallbackDialResult(true, $"{Number} answered; talking to {Position}"));
        Publish(null);
    }

    private async Task NotReachedAsync(string label, string note)
    {
        if (phase == Phase.Over || phase == Phase.Talking)
        {
            return;
        }

        try
        {
            await context.Desk.TransitionAsync(CallId, t => t.NotReach(By, note), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is CallbackRefusedException or KeyNotFoundException)
        {
            await JournalAsync("callback.unrecorded", $"{note} (task: {ex.Message})").ConfigureAwait(false);
        }

        EngineMetrics.CallbackCalls.WithLabels(label).Inc();
        result.TrySetResult(new CallbackDialResult(false, note));
        phase = Phase.Over;
        Publish(note);
    }

    private async Task EndedTalkingAsync(string who)
    {
        phase = Phase.Over;
        var talked = context.Time.GetUtcNow() - talkingSince;
        await JournalAsync("callback.ended", $"{who} after {talked.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s").ConfigureAwait(false);
        Publish($"{who}");
    }

    /// <summary>Both legs are gone: the bridge goes, and the position wraps up like after any call.</summary>
    private async Task FinishAsync(Action<CallbackCall> onOver)
    {
        phase = Phase.Over;
        finished = true;
        mailbox.Writer.TryComplete();
        if (bridged)
        {
            try
            {
                await context.Telephony.DestroyBridgeAsync(BridgeId, CancellationToken.None).ConfigureAwait(false);
            }
            catch (TelephonyException ex) when (!ex.ResourceGone)
            {
                LogMessages.CleanupFailed(context.Logger, BridgeId, ex.Message);
            }
            catch (TelephonyException)
            {
            }
        }

        ((Routing.Calls.Ports.ICallCentre)context.Centre).CallEnded(CallbackId);
        result.TrySetResult(new CallbackDialResult(false, "ended"));
        onOver(this);
        Publish(null);
    }

    private ApiError Abandon(Action<CallbackCall> onOver, ApiError error)
    {
        phase = Phase.Over;
        finished = true;
        mailbox.Writer.TryComplete();
        ((Routing.Calls.Ports.ICallCentre)context.Centre).CallEnded(CallbackId);
        onOver(this);
        return error;
    }

    private async Task HangUpAsync(string channelId, bool alive)
    {
        if (!alive)
        {
            return;
        }

        try
        {
            await context.Telephony.HangupAsync(channelId, HangupReason.Normal, CancellationToken.None).ConfigureAwait(false);
        }
        catch (TelephonyException ex) when (ex.ResourceGone)
        {
            // Already gone: its ChannelDestroyed may never come, so count it gone now.
            if (channelId == CallerChannelId)
            {
                callerAlive = false;
            }
            else if (channelId == CallTakerChannelId)
            {
                callTakerAlive = false;
            }
        }
        catch (TelephonyException ex)
        {
            LogMessages.CleanupFailed(context.Logger, channelId, ex.Message);
        }
    }

    private Task LegPlannedAsync(string legId, string channelId, string trunk, string dialString) =>
        Guard(context.Journal.LegPlannedAsync(new LegRecord(legId, CallId, channelId, LegAgency, "", trunk, dialString, Attempt, context.Time.GetUtcNow()), CancellationToken.None).AsTask(), "leg");

    private Task JournalAsync(string kind, string detail) =>
        Guard(context.Journal.AppendAsync(new CallEventRecord(CallId, null, context.Time.GetUtcNow(), kind, detail), CancellationToken.None).AsTask(), kind);

    /// <summary>A ledger that is slow or away delays the record, never the call (the spool keeps it); a failure
    /// is logged, as for every call.</summary>
    private async Task Guard(Task write, string what)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            LogMessages.CentreJournalFailed(context.Logger, CallId, what, ex.Message);
        }
    }

    private void Publish(string? note) =>
        context.Hub.Publish(new CentreEvent("callback", new { callId = CallId, callbackId = CallbackId, position = Position, state = State, note }, [Position]));

    private IReadOnlyDictionary<string, string> Variables(string? position)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal) { ["ROUTING112_CALL_ID"] = CallId, ["ROUTING112_CALLBACK"] = CallbackId };
        if (position is not null)
        {
            variables["ROUTING112_POSITION"] = position;

            // A call-taker whose phone answers offers by itself (Console mode) must not pick up a call back they started
            // by hand either: starting it was the choice. The engine's own attempt was nobody's choice: it rings to be picked up.
            if (!ByEngine)
            {
                AutoAnswer.AddTo(variables, context.Centre.Options, position);
            }
        }

        return variables;
    }

    /// <summary>The endpoint a dial string goes out through: <c>PJSIP/+7701…@pstn-callback</c> → <c>pstn-callback</c>.</summary>
    internal static string TrunkOf(string dialString)
    {
        var at = dialString.LastIndexOf('@');
        var slash = dialString.IndexOf('/', StringComparison.Ordinal);
        return at > 0 ? dialString[(at + 1)..] : slash > 0 ? dialString[(slash + 1)..] : dialString;
    }

    /// <summary>Q.850 causes a failed call back ends with, for people and for the metric label.</summary>
    internal static (string Label, string Text) Unreached(int cause) => cause switch
    {
        17 => ("busy", "busy"),
        16 or 18 or 19 => ("no-answer", "no answer"),
        21 => ("rejected", "rejected the call"),
        1 or 3 or 22 or 28 => ("invalid-number", "number not in service"),
        _ => ("failed", "the call failed"),
    };
}
