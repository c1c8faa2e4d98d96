using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Routing.Calls.Centre;
using Routing.Calls.Ports;
using Routing.Engine.Calls;
using Routing.Engine.Operators;

namespace Routing.Engine.Centre;

/// <summary>
/// The one owner of the domain's <see cref="CallCentre"/> (which is not thread-safe): an actor with one
/// mailbox, like each <see cref="Routing.Calls.Call"/>. Calls, the ARI dispatcher, the operator API and the
/// centre's own timer only post inputs; the loop handles them one at a time, in order, writes each decision
/// to the ledger and then acts on it (ring a position, withdraw a ring, hand a call-taker to a call,
/// announce a place, hand a call to the dialplan fallback). A mailbox rather than a lock because acting
/// means awaiting the ledger (write before act), and a lock held across awaits would either block threads
/// or let two inputs interleave; the ARI reader and the calls never wait on the centre this way.
/// Originating and hanging up offer legs run beside the loop (their results come back as inputs), so a
/// slow Asterisk delays one ring, not the queue.
/// </summary>
internal sealed partial class CentreService : BackgroundService, ICallCentre
{
    private readonly CallCentre centre;
    private readonly Channel<CentreInput> mailbox = Channel.CreateUnbounded<CentreInput>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ITelephony telephony;
    private readonly ICallJournal journal;
    private readonly CallRegistry registry;
    private readonly CentreEventHub hub;
    private readonly CentreTally tally;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly string agencyCallerIdTemplate;

    /// <summary>Position → the user logged in to it. Written by the loop only; read by the API.</summary>
    private readonly ConcurrentDictionary<string, string> users = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Calls the centre has (waiting, offered, with a position): what it needs to ring for them.
    /// Loop only.</summary>
    private readonly Dictionary<string, CentreCall> calls = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> offerCounts = new(StringComparer.Ordinal);

    private readonly CallTakerDevices devices;
    private readonly Routing.Calls.Video.VideoOptions video;
    private ITimer? tickTimer;
    private DateTimeOffset? tickDue;
    private CentreDto picture;
    private string lastQueueSignature = "";
    private volatile bool stopping;

    public CentreService(
        CentreOptions options,
        Routing.Calls.Routing.RoutingOptions routing,
        ITelephony telephony,
        ICallJournal journal,
        CallRegistry registry,
        OfferLegs offers,
        CentreEventHub hub,
        CentreTally tally,
        TimeProvider time,
        ILogger<CentreService> logger,
        CallTakerDevices devices)
    {
        this.devices = devices;
        centre = new CallCentre(options, time);
        this.telephony = telephony;
        this.journal = journal;
        this.registry = registry;
        Offers = offers;
        this.hub = hub;
        this.tally = tally;
        this.time = time;
        this.logger = logger;
        video = routing.Video ?? new Routing.Calls.Video.VideoOptions();
        agencyCallerIdTemplate = string.IsNullOrWhiteSpace(routing.AgencyCallerId) ? "{caller}" : routing.AgencyCallerId;
        picture = BuildPicture(centre.Snapshot());
    }

    public CentreOptions Options => centre.Options;

    public OfferLegs Offers { get; }

    /// <summary>The whole picture after the last handled input (thread-safe; replaced, never changed).</summary>
    public CentreDto Picture => Volatile.Read(ref picture);

    public CallTakerDto? CallTaker(string position) =>
        Picture.CallTakers.FirstOrDefault(c => string.Equals(c.Position, position, StringComparison.OrdinalIgnoreCase));

    /// <summary>The position <paramref name="user"/> is logged in to, or null.</summary>
    public string? PositionOf(string user)
    {
        foreach (var (position, holder) in users)
        {
            if (string.Equals(holder, user, StringComparison.Ordinal))
            {
                return position;
            }
        }

        return null;
    }

    public string? UserAt(string position) => users.GetValueOrDefault(position);

    public bool Post(CentreInput input) => !stopping && mailbox.Writer.TryWrite(input);

    /// <summary>Login, logout, pause or resume, answered once the centre has decided (and written it).</summary>
    public async Task<PositionReply> AskAsync(OperatorIdentity who, string position, PositionAction action, string? reason, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var reply = new TaskCompletionSource<PositionReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!Post(new CentreInput.PositionRequest(who, position, action, reason, null, reply)))
        {
            return new PositionReply(null, new ApiError(503, "unavailable", "the centre is stopping"));
        }

        try
        {
            return await reply.Task.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return new PositionReply(null, new ApiError(503, "unavailable", $"the centre did not answer within {timeout}"));
        }
    }

    /// <summary>Makes <paramref name="position"/> busy with the call back <paramref name="callbackId"/> (written
    /// before the reply, like every change of a position), or answers why not: the position's state, an
    /// unreachable phone.</summary>
    public async Task<ApiError?> StartCallbackAsync(string position, string callbackId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var reply = new TaskCompletionSource<ApiError?>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!Post(new CentreInput.CallbackRequest(position, callbackId, reply)))
        {
            return new ApiError(503, "unavailable", "the centre is stopping");
        }

        try
        {
            return await reply.Task.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return new ApiError(503, "unavailable", $"the centre did not answer within {timeout}");
        }
    }

    /// <summary>The ARI websocket (re)connected: learn again which phones can be rung (beside the loop).</summary>
    public void OnAriConnected() => _ = RefreshDevicesAsync();

    private async Task RefreshDevicesAsync()
    {
        try
        {
            await devices.RefreshAsync(this, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogMessages.CallTakerDevicesUnread(logger, ex.Message);
        }
    }

    /// <summary>Completes once every input posted before it has been handled.</summary>
    public Task BarrierAsync()
    {
        var reply = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return Post(new CentreInput.Barrier(reply)) ? reply.Task : Task.CompletedTask;
    }

    // ICallCentre: what calls tell the centre. Only posts (ModeFor only reads immutable options).
    EntryMode ICallCentre.ModeFor(Routing.Calls.CallEntry entry) =>
        centre.Options.Entries.TryGetValue(entry, out var options) && options is not null ? options.Mode : EntryMode.HumanFirst;

    void ICallCentre.Enqueue(CentreCall call) => Post(new CentreInput.Enqueue(call));

    void ICallCentre.Requeue(string callId, string position) => Post(new CentreInput.Requeue(callId, position));

    void ICallCentre.CallTakerLeft(string callId, string position) => Post(new CentreInput.CallTakerLeft(callId, position));

    void ICallCentre.CallTakerDeviceLeft(string callId, string position, TimeSpan? withCaller) => Post(new CentreInput.CallTakerDeviceLeft(callId, position, withCaller));

    void ICallCentre.CallEnded(string callId) => Post(new CentreInput.CallEnded(callId));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await mailbox.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                while (mailbox.Reader.TryRead(out var input))
                {
                    await HandleGuardedAsync(input).ConfigureAwait(false);
                }

                AfterInputs();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        stopping = true;
        tickTimer?.Dispose();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A bug in one input must not stop the centre, and with it every waiting caller.</summary>
    private async Task HandleGuardedAsync(CentreInput input)
    {
        try
        {
            await HandleAsync(input).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stopping)
        {
            LogMessages.CentreInputFailed(logger, input.GetType().Name, ex.Message, ex);
            if (input is CentreInput.PositionRequest request)
            {
                request.Reply.TrySetResult(new PositionReply(null, new ApiError(503, "unavailable", $"the centre failed on this request: {ex.GetType().Name}")));
            }

            else if (input is CentreInput.TextAccept accept)
            {
                accept.Reply.TrySetResult(new ApiError(503, "unavailable", $"the centre failed on this request: {ex.GetType().Name}"));
            }
            else if (input is CentreInput.CallbackRequest callback)
            {
                callback.Reply.TrySetResult(new ApiError(503, "unavailable", $"the centre failed on this request: {ex.GetType().Name}"));
            }
        }
    }

    private async Task HandleAsync(CentreInput input)
    {
        switch (input)
        {
            case CentreInput.Enqueue enqueue:
                await OnEnqueueAsync(enqueue.Call).ConfigureAwait(false);
                break;
            case CentreInput.Requeue requeue:
                await ApplyAsync(centre.Requeue(requeue.Position, requeue.CallId), $"requeue {requeue.CallId}").ConfigureAwait(false);
                break;
            case CentreInput.CallTakerLeft left:
                await ApplyAsync(centre.CallTakerLeft(left.Position), $"call-taker left {left.CallId}").ConfigureAwait(false);
                break;
            case CentreInput.CallTakerDeviceLeft deviceLeft:
                await ApplyAsync(centre.CallTakerDeviceLeft(deviceLeft.Position, deviceLeft.CallId, deviceLeft.WithCaller), $"call-taker device left {deviceLeft.CallId}").ConfigureAwait(false);
                break;
            case CentreInput.CallEnded ended:
                await ApplyAsync(centre.CallEnded(ended.CallId), $"call ended {ended.CallId}").ConfigureAwait(false);
                Forget(ended.CallId);
                break;
            case CentreInput.DeviceState device:
                await OnDeviceStateAsync(device).ConfigureAwait(false);
                break;
            case CentreInput.OfferLegAnswered answered:
                await OnOfferAnsweredAsync(answered.ChannelId).ConfigureAwait(false);
                break;
            case CentreInput.OfferLegEnded ended:
                await OnOfferEndedAsync(ended.ChannelId, FailureOf(ended.Cause), $"cause {ended.Cause} {ended.CauseText}".TrimEnd()).ConfigureAwait(false);
                break;
            case CentreInput.OfferDialFailed failed:
                await OnOfferEndedAsync(failed.ChannelId, OfferFailure.DeviceError, $"dial failed: {failed.Error}").ConfigureAwait(false);
                break;
            case CentreInput.PositionRequest request:
                request.Reply.TrySetResult(await OnPositionRequestAsync(request).ConfigureAwait(false));
                break;
            case CentreInput.TextAccept accept:
                accept.Reply.TrySetResult(await OnTextAcceptAsync(accept).ConfigureAwait(false));
                break;
            case CentreInput.CallbackRequest callback:
                var refusal = await ApplyAsync(centre.StartCallback(callback.Position, callback.CallbackId), $"callback {callback.CallbackId}").ConfigureAwait(false);
                callback.Reply.TrySetResult(refusal is null ? null : ToApiError(refusal));
                break;
            case CentreInput.Tick:
                tickDue = null;
                await ApplyAsync(centre.Tick(), "tick").ConfigureAwait(false);
                break;
            case CentreInput.Barrier barrier:
                AfterInputs();
                barrier.Reply.TrySetResult();
                break;
        }
    }

    private async Task OnEnqueueAsync(CentreCall call)
    {
        var callId = call.Request.CallId;
        calls[callId] = call;
        await JournalAsync(callId, "queue.entered",
            $"region {call.Request.Region}, entry {call.Request.Entry}{(call.Request.Language is { } l ? $", language {l}" : "")}{(call.Request.LifeInDanger ? ", life in danger" : "")}").ConfigureAwait(false);
        var result = centre.Enqueue(call.Request);
        if (result.Refusal is { } refusal)
        {
            // Only a malformed request or a duplicate is refused; a caller is never refused, so one the centre
            // cannot take goes to the dialplan fallback rather than waiting for nobody.
            await JournalAsync(callId, "queue.refused", refusal.Message).ConfigureAwait(false);
            if (refusal.Kind != RefusalKind.Invalid || !centre.Snapshot().Waiting.Any(w => w.CallId == callId))
            {
                if (call.Medium == CentreMedium.Text)
                {
                    textSessions?.GaveUp(callId, $"centre refused: {refusal.Message}");
                }
                else
                {
                    PostToCall(callId, new CallInput.CentreGaveUp($"centre refused: {refusal.Message}"));
                }

                Forget(callId);
            }

            return;
        }

        await ActAsync(result.Decisions).ConfigureAwait(false);
    }

    private async Task OnDeviceStateAsync(CentreInput.DeviceState device)
    {
        if (centre.PositionForEndpoint(device.Endpoint) is not { } position)
        {
            return; // not a call-taker device (an agency trunk, a texter): nothing for the centre
        }

        if (centre.CallTaker(position) is { } view && view.Reachable == device.Reachable)
        {
            return; // four events per registration (trace T1): only the first one changes anything
        }

        await JournalAsync(PositionStoryId(position), "calltaker.device", $"{(device.Reachable ? "reachable" : "unreachable")} ({device.Source})").ConfigureAwait(false);
        await ApplyAsync(centre.DeviceReachability(position, device.Reachable), $"device {position}").ConfigureAwait(false);
    }

    /// <summary>Applies a result: a refusal of an engine report is expected after races (a late answer, a
    /// duplicate hang-up) and only logged; decisions are written and acted on in order.</summary>
    private async Task<Refusal?> ApplyAsync(CentreResult result, string what)
    {
        if (result.Refusal is { } refusal)
        {
            LogMessages.CentreRefused(logger, what, refusal.Kind.ToString(), refusal.Message);
            return refusal;
        }

        await ActAsync(result.Decisions).ConfigureAwait(false);
        return null;
    }

    private void Forget(string callId)
    {
        if (centre.Snapshot().Waiting.Any(w => w.CallId == callId) || centre.Snapshot().CallTakers.Any(c => c.CallId == callId && c.State is CallTakerState.Offered or CallTakerState.OnCall))
        {
            return;
        }

        calls.Remove(callId);
        offerCounts.Remove(callId);
        textOffers.Remove(callId);
    }

    private void PostToCall(string callId, CallInput input)
    {
        if (!registry.TryGetByCallId(callId, out var call) || !call.Post(input))
        {
            LogMessages.CentreCallGone(logger, callId, input.GetType().Name);
        }
    }

    internal static string PositionStoryId(string position) => $"position:{position}";

    private async Task JournalAsync(string callId, string kind, string detail, string? legId = null, DateTimeOffset? at = null)
    {
        try
        {
            await journal.AppendAsync(new CallEventRecord(callId, legId, at ?? time.GetUtcNow(), kind, detail), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stopping)
        {
            LogMessages.CentreJournalFailed(logger, callId, kind, ex.Message);
        }
    }

    private static OfferFailure FailureOf(int cause) => cause switch
    {
        17 or 21 => OfferFailure.Rejected,   // user busy, call rejected (the phone declined)
        18 or 19 or 16 => OfferFailure.NoAnswer, // no user responding, no answer; 16 before answer = given up ringing
        _ => OfferFailure.DeviceError,
    };
}
