namespace Routing.Calls;

/// <summary>What a call-taker decided about a call, and who: the last classification counts, every one is on
/// the ledger (<c>classified</c> events), so a later change shows.</summary>
/// <param name="By">The user and position, e.g. <c>aigerim@calltaker-2</c>.</param>
public sealed record CallDecision(string? Agency, string? IncidentType, string? Note, ClassificationKind Kind, string By);

/// <summary>Progress of a transfer the call-taker started.</summary>
/// <param name="State"><c>dialing</c>, <c>ringing</c>, <c>answered</c>, <c>failed</c>, <c>complete</c>, <c>cancelled</c>.</param>
/// <param name="Trunk">The trunk being dialled or that answered.</param>
/// <param name="Attempt">The call's leg attempt number of that trunk.</param>
public sealed record TransferProgress(string Agency, TransferMode Mode, string State, string? Trunk, int Attempt);
