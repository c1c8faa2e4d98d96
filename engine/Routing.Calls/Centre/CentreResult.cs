namespace Routing.Calls.Centre;

/// <summary>Why an input was refused; the operator API maps it to a 4xx.</summary>
public enum RefusalKind
{
    /// <summary>No such position (404).</summary>
    UnknownCallTaker,

    /// <summary>No such call in the centre (404).</summary>
    UnknownCall,

    /// <summary>The action is not allowed in the position's current state (409).</summary>
    NotAllowed,

    /// <summary>The call belongs to another position (403).</summary>
    NotYours,

    /// <summary>Malformed input, e.g. an empty pause reason or an unknown group (400).</summary>
    Invalid,

    /// <summary>An engine report about something already over (an offer withdrawn, a call gone): harmless,
    /// to be logged, not acted on. Expected after races such as a late answer.</summary>
    Stale,
}

/// <summary>A refusal with a message meant for a person, e.g.
/// <c>calltaker-2 is OnCall; pause is allowed in Available or WrapUp</c>.</summary>
public sealed record Refusal(RefusalKind Kind, string Message);

/// <summary>
/// The centre's answer to one input: either accepted with its decisions (possibly none), or refused with
/// a reason, in which case nothing changed.
/// </summary>
public sealed record CentreResult(IReadOnlyList<CentreDecision> Decisions, Refusal? Refusal)
{
    public bool Accepted => Refusal is null;

    internal static CentreResult Ok(IReadOnlyList<CentreDecision> decisions) => new(decisions, null);

    internal static CentreResult Refused(RefusalKind kind, string message) => new([], new Refusal(kind, message));
}
