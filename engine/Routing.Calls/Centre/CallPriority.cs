namespace Routing.Calls.Centre;

/// <summary>Priority classes of the queue, highest first. Aging between them: <see cref="QueueOptions"/>.</summary>
public enum CallPriority
{
    /// <summary>SOS button, or a call marked "life in danger".</summary>
    Critical,

    /// <summary>An ordinary 112 call.</summary>
    Emergency,

    /// <summary>A call a call-taker handed back to the queue (it already waited once).</summary>
    Requeued,
}
