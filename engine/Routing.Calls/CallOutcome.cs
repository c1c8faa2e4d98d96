namespace Routing.Calls;

/// <summary>Every call ends in exactly one explicit outcome; there is no "unknown".</summary>
public enum CallOutcome
{
    /// <summary>An agency (or a human call-taker) answered and the call was bridged.</summary>
    Completed,

    /// <summary>The caller hung up before being classified. Creates a callback task.</summary>
    AbandonedInIvr,

    /// <summary>The caller hung up while waiting for an agency or a call-taker. Creates a callback task.</summary>
    AbandonedInQueue,

    /// <summary>No trunk answered: the call was handed back to the dialplan fallback.</summary>
    FailedOver,

    /// <summary>A call-taker classified the call as not an emergency (information, wrong number, ...) and
    /// it ended with the call-taker: the "8 of 10 are not for the police" that the centre counts.</summary>
    NonEmergency,

    /// <summary>A call-taker classified the call as a prank.</summary>
    Prank,

    /// <summary>A call-taker found nobody speaking (not a prank: the caller may be unable to speak).</summary>
    Silent,

    /// <summary>The caller's channel vanished while the engine could not see it (ARI gap) and
    /// nothing else can be said; reconciliation closed it. Creates a callback task.</summary>
    LostDuringOutage,

    /// <summary>The engine was overloaded when the caller arrived: it handed the caller at once, unanswered,
    /// to the dialplan fallback (which routes by itself) rather than keep them waiting on a late engine.</summary>
    Shed,
}
