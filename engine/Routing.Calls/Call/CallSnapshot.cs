namespace Routing.Calls;

/// <summary>An immutable picture of a call for the admin API and reconciliation; a new one is
/// published after every change, so reading it from any thread is safe.</summary>
/// <param name="Agency">The agency chosen (menu, direct number or device); null while unknown or for call-taker calls.</param>
/// <param name="Entry">Ledger spelling of how the call came in (<see cref="Classification.EntryName"/>).</param>
/// <param name="CurrentLegChannelId">The agency/call-taker leg being dialled or bridged, if any.</param>
/// <param name="Attempts">Legs dialled so far.</param>
public sealed record CallSnapshot(
    string CallId,
    CallState State,
    CallOutcome? Outcome,
    string? Agency,
    string Region,
    string Language,
    string Entry,
    string? CurrentLegChannelId,
    int Attempts);
