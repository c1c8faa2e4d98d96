namespace Routing.Simulator;

/// <summary>
/// What a call-taker's phone (a registered PJSIP endpoint such as "calltaker-1") does when the engine offers it a
/// call (POST /channels with endpoint PJSIP/calltaker-1). Every outcome is bounded by the originate timeout.
/// </summary>
public sealed record CallTakerBehavior
{
    private CallTakerBehavior(TrunkBehavior dial, string description)
    {
        Dial = dial;
        Description = description;
    }

    /// <summary>The same leg mechanics as an agency trunk (events and causes as in the traces).</summary>
    internal TrunkBehavior Dial { get; }

    public string Description { get; }

    /// <summary>Rings, then the call-taker picks up after <paramref name="after"/>; optionally hangs up <paramref name="hangUpAfter"/> after answering.</summary>
    public static CallTakerBehavior AnswersAfter(TimeSpan after, TimeSpan? hangUpAfter = null)
    {
        if (after < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(after), after, "CallTakerBehavior.AnswersAfter: the delay must not be negative");
        if (hangUpAfter < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(hangUpAfter), hangUpAfter, "CallTakerBehavior.AnswersAfter: hangUpAfter must not be negative");
        return new(TrunkBehavior.Answers(after, hangUpAfter), hangUpAfter is { } h ? $"answers after {after}, hangs up {h} later" : $"answers after {after}");
    }

    /// <summary>Rings until the originate timeout (nobody at the desk): ChannelDestroyed cause 19, tech_cause 480.</summary>
    public static CallTakerBehavior Ignores { get; } = new(TrunkBehavior.NoAnswer, "ignores the offer");

    /// <summary>Rejects at once with 486 Busy Here (DND, or already on a call at the phone): cause 17.</summary>
    public static CallTakerBehavior Busy { get; } = new(TrunkBehavior.Busy(TimeSpan.Zero), "busy");

    /// <summary>The phone answers by itself when the INVITE asks it to (<c>Call-Info: …;answer-after=0</c> or
    /// <c>Alert-Info: …;info=alert-autoanswer</c>, added by the engine with PJSIP_HEADER for Console-mode offers),
    /// whatever the person at the desk would do; as Yealink, Snom, Grandstream and most softphones do when
    /// auto-answer is allowed. False: a phone that ignores those headers.</summary>
    public bool HonoursAutoAnswer { get; init; } = true;

    public override string ToString() => Description;
}
