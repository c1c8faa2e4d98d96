namespace Routing.Calls.Centre;

/// <summary>
/// What the centre answers to an input: decisions the engine must act on (ring, withdraw, announce, hand
/// to the dialplan fallback) and notices it records (ledger, event stream, metrics). Returned in the order
/// they happened; the engine writes each to the ledger before acting on it. The centre's own state has
/// already moved when a decision is returned: the engine reports what then happens (answered, failed...)
/// as a new input.
/// </summary>
public abstract record CentreDecision;

/// <summary>A position to ring for a call: its id and its device's dial string.</summary>
public sealed record OfferTarget(string CallTakerId, string Endpoint);

/// <summary>
/// Decision: ring these positions for the call (one for longest-idle, several for ring-all) and report
/// <see cref="CallCentre.OfferAnswered"/> for the first that answers, or <see cref="CallCentre.OfferFailed"/>
/// for one that could not be rung. The centre itself withdraws the offer at <paramref name="AnswerBy"/>
/// (<see cref="CallCentre.Tick"/>); the engine may use it as the originate timeout.
/// </summary>
public sealed record OfferCall(string CallId, IReadOnlyList<OfferTarget> Targets, CallPriority Priority, string? Language, DateTimeOffset AnswerBy) : CentreDecision;

/// <summary>Decision: stop ringing this position for this call (hang its offered leg up). Reason:
/// <c>answered-elsewhere</c>, <c>no-answer</c>, <c>caller-gone</c>, <c>unreachable</c>, <c>logged-out</c>.</summary>
public sealed record WithdrawOffer(string CallId, string CallTakerId, string Reason) : CentreDecision;

/// <summary>Notice: the call was answered by this position after waiting <paramref name="Waited"/> since it first joined the queue
/// (the NENA answer time); the engine bridges caller and call-taker.</summary>
public sealed record CallAnswered(string CallId, string CallTakerId, TimeSpan Waited) : CentreDecision;

/// <summary>Decision: tell the waiting caller its place (1 = next) or "stay on the line", in its language (null = default).</summary>
public sealed record AnnouncePosition(string CallId, int Position, string? Language) : CentreDecision;

/// <summary>Notice: the call now also waits for <paramref name="ToGroup"/> (it stays eligible for the groups it had).
/// Reason: <c>max-wait</c> or <c>no-one-staffed</c>.</summary>
public sealed record OverflowCall(string CallId, string FromGroup, string ToGroup, string Reason) : CentreDecision;

/// <summary>Decision: the centre gives the call up (every group of its overflow chain waited its MaxWait or has
/// nobody staffed); the engine hands it to the dialplan fallback as today. The call is no longer in the centre.</summary>
public sealed record HandToFallback(string CallId, string Reason) : CentreDecision;

/// <summary>Notice: a position changed state (ledger, event stream, metrics). <paramref name="CallId"/> is the call
/// concerned, if any; <paramref name="Reason"/> says why (e.g. <c>no answer</c> for an automatic pause).</summary>
public sealed record CallTakerChanged(string CallTakerId, CallTakerState From, CallTakerState To, string? Reason, string? CallId) : CentreDecision;

/// <summary>Notice: the position's phone failed as it was put through (<see cref="CallCentre.CallTakerDeviceLeft"/>): the
/// position is paused and the call waits again in the place it had, its class and answer time unchanged.</summary>
public sealed record CallReturnedToQueue(string CallId, string CallTakerId, string Reason) : CentreDecision;

/// <summary>Notice: the call left the queue without a call-taker: <c>abandoned</c> (caller hung up while waiting or ringing).</summary>
public sealed record CallLeftQueue(string CallId, string Reason, TimeSpan Waited) : CentreDecision;
