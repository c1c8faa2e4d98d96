namespace Routing.Calls;

/// <summary>What the call-taker decided about the call.</summary>
public enum ClassificationKind
{
    /// <summary>A real emergency for <see cref="CallTakerAction.Classify.Agency"/>.</summary>
    Emergency,

    /// <summary>"Not an emergency" (information, wrong number, a neighbour's music): outcome <see cref="CallOutcome.NonEmergency"/>.</summary>
    NonEmergency,

    /// <summary>A prank call: outcome <see cref="CallOutcome.Prank"/>.</summary>
    Prank,

    /// <summary>Nobody spoke: outcome <see cref="CallOutcome.Silent"/> (not a prank: the caller may be unable to speak).</summary>
    Silent,
}

public enum TransferMode
{
    /// <summary>Engine-held: the call-taker stays with the caller until the agency answers, then leaves when ready.</summary>
    Warm,

    /// <summary>The call-taker leaves at once; the call is routed to the agency like an IVR-classified call.</summary>
    Blind,
}

/// <summary>A call-taker's action on the call it holds (operator API). The call checks it against its own
/// state and the acting position, and answers with a refusal or null (accepted, recorded, under way).</summary>
public abstract record CallTakerAction
{
    private CallTakerAction() { }

    /// <summary>Short name for the API and the ledger: <c>classify</c>, <c>transfer</c>, ...</summary>
    public abstract string Name { get; }

    public sealed record Classify(string? Agency, string? IncidentType, string? Note, ClassificationKind Kind) : CallTakerAction
    {
        public override string Name => "classify";
    }

    public sealed record Transfer(string Agency, TransferMode Mode) : CallTakerAction
    {
        public override string Name => "transfer";
    }

    public sealed record CompleteTransfer : CallTakerAction
    {
        public override string Name => "transfer/complete";
    }

    public sealed record CancelTransfer : CallTakerAction
    {
        public override string Name => "transfer/cancel";
    }

    public sealed record Hold : CallTakerAction
    {
        public override string Name => "hold";
    }

    public sealed record Resume : CallTakerAction
    {
        public override string Name => "resume";
    }

    public sealed record Requeue(string Reason) : CallTakerAction
    {
        public override string Name => "requeue";
    }

    public sealed record HangUp(string Reason) : CallTakerAction
    {
        public override string Name => "hangup";
    }

    /// <summary>The call-taker sets or corrects where the caller is (an address and/or coordinates typed in the
    /// console); recorded as source call-taker. It re-routes only a call not yet put through to an agency.</summary>
    public sealed record SetLocation(Location.CallLocation Location) : CallTakerAction
    {
        public override string Name => "location";
    }
}
