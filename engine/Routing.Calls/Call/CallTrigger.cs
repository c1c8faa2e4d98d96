namespace Routing.Calls;

/// <summary>The call machine's triggers. Inputs from outside (<see cref="Ports.CallInput"/>) and the
/// call's own timers become these in the mailbox loop; the state diagram is drawn from them.</summary>
internal enum CallTrigger
{
    /// <summary>The mailbox loop started: record the call, then answer.</summary>
    Begin,
    Answered,
    ToMenu,
    /// <summary>The agency is known (menu choice, direct number, SOS device).</summary>
    Classified,
    ToOperator,
    StartDialing,
    Overflowed,
    Digit,
    PlaybackFinished,
    LegRinging,
    LegAnswered,
    LegFailed,
    /// <summary>The answered agency leg was added to the caller's bridge.</summary>
    Bridged,
    AgencyHungUp,
    CallerHungUp,
    FailOver,
    Timeout,
    /// <summary>The centre gave the call a call-taker whose device answered.</summary>
    CallTakerJoined,
    /// <summary>The call goes back to the centre's queue (requeue, or the call-taker's device left).</summary>
    Requeued,
    /// <summary>The call-taker left a warm transfer: caller and agency go on.</summary>
    TransferCompleted,
    /// <summary>The call-taker hung the caller up.</summary>
    HungUpByCallTaker,
    Reconciled,
}
