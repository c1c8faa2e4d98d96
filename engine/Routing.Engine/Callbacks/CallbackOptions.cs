namespace Routing.Engine.Callbacks;

/// <summary>Configuration section <c>Callbacks</c>: tasks to call back callers we lost.</summary>
public sealed class CallbackOptions
{
    public const string Section = "Callbacks";

    /// <summary>The engine itself attempts each open task once, through the wired
    /// <see cref="ICallbackDialer"/> (none is wired by default: then this must stay false).</summary>
    public bool AutoAttempt { get; set; }

    /// <summary>How old an open task is before the engine attempts it (AutoAttempt).</summary>
    public TimeSpan AttemptAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An open task with no attempt older than this raises the alarm metric
    /// <c>routing_callbacks_overdue</c>: no abandoned 112 call may stay without an attempt.</summary>
    public TimeSpan OverdueAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the task list is re-read for metrics and automatic attempts.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

    public IEnumerable<string> Validate(bool dialerWired)
    {
        if (AttemptAfter < TimeSpan.Zero)
        {
            yield return $"{Section}:{nameof(AttemptAfter)} {AttemptAfter} must not be negative.";
        }

        if (OverdueAfter <= TimeSpan.Zero)
        {
            yield return $"{Section}:{nameof(OverdueAfter)} {OverdueAfter} must be greater than zero.";
        }

        if (PollInterval < TimeSpan.FromMilliseconds(100) || PollInterval > TimeSpan.FromMinutes(5))
        {
            yield return $"{Section}:{nameof(PollInterval)} {PollInterval} must be between 100 ms and 5 minutes.";
        }

        if (AutoAttempt && !dialerWired)
        {
            yield return $"{Section}:{nameof(AutoAttempt)} is true but no callback dialer (ICallbackDialer) is wired in this build; set it false until the call-taker centre provides one.";
        }
    }
}
