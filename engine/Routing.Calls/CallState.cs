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
    OperatorQueue,
    Overflow,
    Ended,
}
