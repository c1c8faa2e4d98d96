namespace Routing.Calls;

/// <summary>An immutable picture of a call for the admin API and reconciliation; a new one is
/// published after every change, so reading it from any thread is safe.</summary>
/// <param name="Agency">The agency chosen (menu, direct number or device); null while unknown or for call-taker calls.</param>
/// <param name="Entry">Ledger spelling of how the call came in (<see cref="Classification.EntryName"/>).</param>
/// <param name="CurrentLegChannelId">The agency/call-taker leg being dialled or bridged, if any.</param>
/// <param name="Attempts">Legs dialled so far.</param>
/// <param name="CallTaker">The call-taker position with the call (or the last one, after it left), if any.</param>
/// <param name="CallTakerPresent">True while that call-taker is on the call.</param>
/// <param name="OnHold">The caller hears music on hold because the call-taker put it on hold.</param>
/// <param name="Decision">The call-taker's latest classification.</param>
/// <param name="Transfer">The latest transfer the call-taker started.</param>
/// <param name="IvrHint">What an IVR-first caller pressed (an agency): a hint for the call-taker, not a decision.</param>
/// <param name="Location">Where the caller is, as the latest source said (shown on the call card, sent to the agency).</param>
/// <param name="LocationRule">Why that location did or did not choose the region.</param>
/// <param name="AnswerTime">Arrival to a call-taker answering (the NENA answer time), once answered.</param>
public sealed record CallSnapshot(
    string CallId,
    CallState State,
    CallOutcome? Outcome,
    string? Agency,
    string Region,
    string Language,
    string Entry,
    string? CurrentLegChannelId,
    int Attempts,
    string? CallTaker = null,
    bool CallTakerPresent = false,
    bool OnHold = false,
    CallDecision? Decision = null,
    TransferProgress? Transfer = null,
    string? IvrHint = null,
    TimeSpan? AnswerTime = null,
    Location.CallLocation? Location = null,
    string? LocationRule = null);
