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

    /// <summary>How a caller is dialled back: an Asterisk dial string with <c>{number}</c> for the caller's
    /// number, through the outbound route to the carrier (pjsip.conf <c>[pstn-callback]</c>; check-config
    /// checks the endpoint, or a Local channel's context, exists).</summary>
    public string DialString { get; set; } = "PJSIP/{number}@pstn-callback";

    /// <summary>Who the called-back caller sees: the 112 centre, never a call-taker's own line.</summary>
    public string CallerId { get; set; } = "\"112\" <112>";

    /// <summary>How long the caller's phone rings before the attempt counts as "no answer".</summary>
    public TimeSpan RingTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the call-taker's own phone rings first (it is answered at once in console mode).</summary>
    public TimeSpan CallTakerRingTimeout { get; set; } = TimeSpan.FromSeconds(15);

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

        if (string.IsNullOrWhiteSpace(DialString) || !DialString.Contains("{number}", StringComparison.Ordinal)
            || DialString.IndexOf('/', StringComparison.Ordinal) is <= 0 || DialString.Any(char.IsControl) || DialString.Contains('&', StringComparison.Ordinal))
        {
            yield return $"{Section}:{nameof(DialString)} '{DialString}' must be one Asterisk dial string with {{number}}, e.g. PJSIP/{{number}}@pstn-callback.";
        }

        if (string.IsNullOrWhiteSpace(CallerId) || CallerId.Length > 80 || CallerId.Any(char.IsControl))
        {
            yield return $"{Section}:{nameof(CallerId)} must be a caller id of at most 80 printable characters, e.g. \"112\" <112>.";
        }

        if (RingTimeout < TimeSpan.FromSeconds(1) || RingTimeout > TimeSpan.FromMinutes(2))
        {
            yield return $"{Section}:{nameof(RingTimeout)} {RingTimeout} must be between 1 s and 2 minutes.";
        }

        if (CallTakerRingTimeout < TimeSpan.FromSeconds(1) || CallTakerRingTimeout > TimeSpan.FromMinutes(1))
        {
            yield return $"{Section}:{nameof(CallTakerRingTimeout)} {CallTakerRingTimeout} must be between 1 s and 1 minute.";
        }

        if (AutoAttempt && !dialerWired)
        {
            yield return $"{Section}:{nameof(AutoAttempt)} is true but no callback dialer (ICallbackDialer) is wired in this build; the call-taker centre provides it, so set it false when Centre is not configured.";
        }
    }
}
