namespace Routing.Calls;

/// <summary>The life of a call (ARCHITECTURE.md "A call's life").</summary>
public enum CallState
{
    Arrived,
    Answered,
    Classifying,
    Queued,
    Dialing,
    Connected,
    /// <summary>Waiting for a human 112 call-taker: in the centre's queue (or, without a centre, ringing
    /// the call-taker trunks), in the call's bridge with music on hold.</summary>
    OperatorQueue,

    /// <summary>A call-taker is on the call (it may hold it, classify it, transfer it).</summary>
    WithCallTaker,
    Overflow,
    Ended,
}
