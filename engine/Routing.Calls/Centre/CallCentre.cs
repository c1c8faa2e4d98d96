namespace Routing.Calls.Centre;

/// <summary>
/// The 112 call-taker centre: one queue across calls and the call-taker positions, with no I/O. The engine
/// tells it what happened (a call joined the queue, a device became reachable, an offer was answered or
/// failed, a call ended, a call-taker acted) and it answers with <see cref="CentreDecision"/>s: offer call X
/// to position Y (or ring-all Y1..Yn), withdraw an offer, announce position N, overflow to group G, hand to
/// the dialplan fallback, and notices of every position's state change.
/// </summary>
/// <remarks>
/// <para><b>Threading</b>: not thread-safe. The engine must make one owner (a single actor/mailbox, or one lock)
/// call every method, one at a time, and apply the returned decisions in order. Nothing here blocks or
/// starts a thread.</para>
/// <para><b>Time</b>: every input reads the injected <see cref="TimeProvider"/>. Timers (offer timeout,
/// wrap-up end, language wait, max wait per group, announcements) are due times: the engine calls
/// <see cref="Tick"/> at or after <see cref="NextDueAt"/> (and whenever it likes; an early tick does nothing).</para>
/// <para><b>Reachability</b>: a position's device is unreachable until the engine reports otherwise
/// (<see cref="DeviceReachability"/>, from the endpoint list at start and ARI <c>EndpointStateChange</c>/
/// <c>DeviceStateChanged</c>); an unreachable device is never offered a call.</para>
/// <para><b>Never refused</b>: <see cref="Enqueue"/> accepts every well-formed call; the worst outcome is a
/// <see cref="HandToFallback"/> once the overflow chain is exhausted.</para>
/// </remarks>
public sealed partial class CallCentre
{
    private readonly TimeProvider _time;

    /// <param name="options">Options already checked by <see cref="CentreOptionsValidator"/>; invalid ones throw
    /// <see cref="ArgumentException"/> listing every error.</param>
    public CallCentre(CentreOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time ?? throw new ArgumentNullException(nameof(time));
        var errors = CentreOptionsValidator.Validate(options);
        if (errors.Count > 0) throw new ArgumentException("invalid centre options: " + string.Join("; ", errors), nameof(options));
        Options = options;
        BuildModel(options);
    }

    public CentreOptions Options { get; }

    /// <summary>Earliest due timer, or null when nothing is pending. May be earlier than needed (a cancelled
    /// timer): ticking then returns no decisions.</summary>
    public DateTimeOffset? NextDueAt => PeekDue();

    /// <summary>Number of calls in the queue (waiting or being offered).</summary>
    public int WaitingCount => WaitingCallCount();

    // ---- what happened to calls -----------------------------------------------------------------------

    /// <summary>A call joins the queue (human-first after the greeting, IVR-first after the menus). Priority
    /// and group come from <see cref="CentreOptions.Entries"/> and the region; it is offered at once when
    /// someone suitable is Available. Refused (Invalid) only for an empty id, a call already in the centre,
    /// or <see cref="CallEntry.Direct"/> (101–104 go straight to their agency).</summary>
    public CentreResult Enqueue(QueueRequest request) => Run(d => DoEnqueue(request, d));

    /// <summary>The position on the call hands it back to the queue (class <see cref="CallPriority.Requeued"/>,
    /// its home group, its language; answer time still counted from its first arrival). The position goes to
    /// WrapUp. Refused when the position is not OnCall with this call.</summary>
    public CentreResult Requeue(string callTakerId, string callId) => Run(d => DoRequeue(callTakerId, callId, d));

    /// <summary>The phone of the position on the call left it (hung up, failed) while the caller is still there;
    /// <paramref name="withCaller"/> is how long it had been in the caller's bridge (null: it never got there).
    /// Within <see cref="CentreOptions.DeviceFailedWithin"/> (or never bridged) the phone failed as it was put
    /// through: the position is Paused ("device failed") and the call returns to the queue in the place it had
    /// (<see cref="CallReturnedToQueue"/>), offered to the next one at once. Later, it is the call-taker leaving
    /// an unclassified call: as <see cref="Requeue"/>. Refused when the position is not OnCall with this call.</summary>
    public CentreResult CallTakerDeviceLeft(string callTakerId, string callId, TimeSpan? withCaller) =>
        Run(d => DoCallTakerDeviceLeft(callTakerId, callId, withCaller, d));

    /// <summary>The caller is gone (hung up) or the call ended, wherever it is in the centre: waiting
    /// (<see cref="CallLeftQueue"/> abandoned), ringing (offers withdrawn), or on a position (which goes to
    /// WrapUp). Stale when the centre no longer has the call.</summary>
    public CentreResult CallEnded(string callId) => Run(d => DoCallEnded(callId, d));

    /// <summary>The position left its call (warm transfer done, or it hung up its leg) while the call goes on
    /// elsewhere: the position goes to WrapUp and the centre forgets the call.</summary>
    public CentreResult CallTakerLeft(string callTakerId) => Run(d => DoCallTakerLeft(callTakerId, d));

    // ---- what happened to devices and offers ----------------------------------------------------------

    /// <summary>The position's device became reachable or unreachable. An Offered position whose device goes
    /// away has its offer withdrawn and the call is offered to the next one; a group left with no one
    /// reachable overflows its waiting calls.</summary>
    public CentreResult DeviceReachability(string callTakerId, bool reachable) => Run(d => DoReachability(callTakerId, reachable, d));

    /// <summary>The position for a device resource or dial string (<c>calltaker-1</c> or <c>PJSIP/calltaker-1</c>), or null.</summary>
    public string? PositionForEndpoint(string endpoint) => FindPositionByEndpoint(endpoint);

    /// <summary>The offered position answered (or the console accepted / auto-answered): it goes OnCall, every
    /// other position ringing for the call is withdrawn, and the call leaves the queue. Stale when the offer
    /// is already over (the engine then hangs that late leg up).</summary>
    public CentreResult OfferAnswered(string callId, string callTakerId) => Run(d => DoOfferAnswered(callId, callTakerId, d));

    /// <summary>The offered position did not take the call: it is paused with the failure's reason and the
    /// call is offered to the next one at once, keeping its place in the queue.</summary>
    public CentreResult OfferFailed(string callId, string callTakerId, OfferFailure failure) => Run(d => DoOfferFailed(callId, callTakerId, failure, d));

    /// <summary>Runs every timer due at the provider's current time: offer timeouts (pause "no answer" and
    /// re-offer), wrap-up ends, language waits, max waits (overflow or fallback), announcements.</summary>
    public CentreResult Tick() => Run(DoTick);

    // ---- what call-takers do (operator API) -----------------------------------------------------------

    /// <summary>LoggedOut → Available.</summary>
    public CentreResult Login(string callTakerId) => Run(d => DoLogin(callTakerId, d));

    /// <summary>Available, WrapUp or Paused → LoggedOut. Refused while Offered or OnCall.</summary>
    public CentreResult Logout(string callTakerId) => Run(d => DoLogout(callTakerId, d));

    /// <summary>Available or WrapUp → Paused with a non-empty reason.</summary>
    public CentreResult Pause(string callTakerId, string reason) => Run(d => DoPause(callTakerId, reason, d));

    /// <summary>Paused → Available, or WrapUp → Available early ("ready").</summary>
    public CentreResult Resume(string callTakerId) => Run(d => DoResume(callTakerId, d));

    // ---- reading ---------------------------------------------------------------------------------------

    public CallTakerView? CallTaker(string callTakerId) => ViewOf(callTakerId);

    /// <summary>Positions in configuration order and waiting calls in queue order.</summary>
    public CentreSnapshot Snapshot() => TakeSnapshot();

    /// <summary>Runs one input: a refusal leaves everything as it was; otherwise the centre then distributes
    /// whatever can now be offered, and every decision is returned in order.</summary>
    private CentreResult Run(Func<List<CentreDecision>, Refusal?> input)
    {
        var decisions = new List<CentreDecision>();
        var refusal = input(decisions);
        if (refusal is not null) return new CentreResult([], refusal);
        Distribute(decisions);
        return CentreResult.Ok(decisions);
    }
}
