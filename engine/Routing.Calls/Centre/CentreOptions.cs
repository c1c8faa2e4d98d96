namespace Routing.Calls.Centre;

/// <summary>
/// The 112 call-taker centre, bound from the <c>Centre</c> section (appsettings.json, then environment
/// overrides such as <c>Centre__OfferTimeout=00:00:12</c>). Validated at start by
/// <see cref="CentreOptionsValidator"/>, whose errors name the configuration key.
/// </summary>
public sealed class CentreOptions
{
    public const string Section = "Centre";

    /// <summary>Position id (e.g. <c>calltaker-1</c>) → the position: its device, group and languages.</summary>
    public Dictionary<string, PositionOptions> Positions { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Group key (e.g. <c>almaty</c>, <c>national</c>) → group: regions served, strategy, max wait, overflow.</summary>
    public Dictionary<string, GroupOptions> Groups { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Group for callers whose region no group lists (usually the national group).</summary>
    public string DefaultGroup { get; set; } = "";

    /// <summary>How each entry reaches a call-taker. 101–104 (<see cref="CallEntry.Direct"/>) may not appear:
    /// they keep going straight to their agency. An entry not listed is human-first at <see cref="CallPriority.Emergency"/>.</summary>
    public Dictionary<CallEntry, EntryOptions> Entries { get; set; } = new();

    /// <summary>How long an offered call rings a position before it is withdrawn, the position paused
    /// ("no answer") and the call offered to the next one. Asterisk's app_queue <c>timeout</c> + <c>autopause</c>.</summary>
    public TimeSpan OfferTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>After-call work: a position whose call ended stays in WrapUp this long, then becomes Available.
    /// Zero means straight back to Available.</summary>
    public TimeSpan WrapUp { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A call-taker's phone that leaves its call (hangs up, fails) before it is in the caller's bridge, or
    /// within this time of being put there, failed at bridging: nobody talked. The position is paused
    /// ("device failed") rather than offered the call again at once, and the caller keeps its place for the
    /// next call-taker. A phone that leaves later is a call-taker leaving an unclassified call (requeued,
    /// WrapUp). Zero: only a phone that never reached the bridge counts.</summary>
    public TimeSpan DeviceFailedWithin { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A caller who chose a language is offered only to positions speaking it for this long after
    /// joining the queue, then to anyone.</summary>
    public TimeSpan LanguageWait { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How often the engine reads each position's endpoint (GET /endpoints) when Asterisk refuses the
    /// <c>deviceState:</c> subscription (res_stasis_device_state not loaded): without it no event says a phone
    /// registered or went away after the engine connected. Zero: never poll (only the read at each connect).</summary>
    public TimeSpan DevicePollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Interval at which a waiting caller hears its position / "stay on the line".</summary>
    public TimeSpan AnnounceInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Priority classes and aging (see <see cref="QueueOptions"/>).</summary>
    public QueueOptions Queue { get; set; } = new();

    /// <summary>How a call-taker accepts an offer, for every position that does not say otherwise:
    /// <see cref="OfferMode.Device"/> (answering the phone is the accept) or <see cref="OfferMode.Console"/>.</summary>
    public OfferMode OfferMode { get; set; } = OfferMode.Device;

    /// <summary>SIP headers added to the INVITE of a Console-mode offer so that the desk phone answers by itself
    /// (name → value; an empty value leaves that header out). The shipped pair covers Yealink, Snom, Grandstream,
    /// Cisco SPA and most softphones (<c>Call-Info: answer-after=0</c>) and phones that take the
    /// <c>Alert-Info ... info=alert-autoanswer</c> form; Polycom needs an Alert-Info matching its configured
    /// auto-answer ring class instead.</summary>
    public Dictionary<string, string> AutoAnswerHeaders { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Call-Info"] = "<sip:127.0.0.1>;answer-after=0",
        ["Alert-Info"] = "<http://127.0.0.1/autoanswer>;info=alert-autoanswer;delay=0",
    };

    /// <summary>The accept mode of one position: its own, else the centre's.</summary>
    public OfferMode OfferModeOf(string position) =>
        Positions.TryGetValue(position, out var p) && p?.OfferMode is { } own ? own : OfferMode;
}

/// <summary>How a call-taker accepts an offered call.</summary>
public enum OfferMode
{
    /// <summary>Answering the desk phone is the accept (today's behaviour).</summary>
    Device,

    /// <summary>The phone answers by itself (auto-answer header); the call-taker accepts in the console, and only
    /// then is the caller put through. Until the accept the phone's leg is held silent by the engine.</summary>
    Console,
}

/// <summary>One call-taker position: a SIP device with a login.</summary>
public sealed class PositionOptions
{
    /// <summary>Asterisk dial string of the position's device, e.g. <c>PJSIP/calltaker-1</c>.
    /// check-config requires a matching PJSIP endpoint in pjsip.conf.</summary>
    public string Endpoint { get; set; } = "";

    /// <summary>The group (key of <see cref="CentreOptions.Groups"/>) the position serves.</summary>
    public string Group { get; set; } = "";

    /// <summary>Languages the call-taker speaks: <c>kk</c>, <c>ru</c>, <c>en</c>.</summary>
    public List<string> Languages { get; set; } = [];

    /// <summary>This position's accept mode; null = <see cref="CentreOptions.OfferMode"/>.</summary>
    public OfferMode? OfferMode { get; set; }
}

/// <summary>A group of positions, normally one per region, plus a national group as overflow.</summary>
public sealed class GroupOptions
{
    /// <summary>Routing regions (<c>Routing:Regions</c> keys) whose callers this group takes.</summary>
    public List<string> Regions { get; set; } = [];

    public DistributionStrategy Strategy { get; set; } = DistributionStrategy.LongestIdle;

    /// <summary>Longest a call waits for this group before it overflows to <see cref="OverflowTo"/>
    /// (or, with none, is handed to the dialplan fallback). Counted from the moment the call reached the group.</summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Next group when <see cref="MaxWait"/> is over or this group has nobody able to answer;
    /// null for the last group (then the dialplan fallback).</summary>
    public string? OverflowTo { get; set; }
}

/// <summary>How a group picks who is offered a call.</summary>
public enum DistributionStrategy
{
    /// <summary>One position at a time: the Available one idle longest (app_queue <c>leastrecent</c>).</summary>
    LongestIdle,

    /// <summary>Every Available position of the group rings at once; the first to answer takes it (small centres).</summary>
    RingAll,
}

/// <summary>How calls of one entry reach the centre.</summary>
public sealed class EntryOptions
{
    /// <summary>Human-first (short greeting with an optional language digit, then a call-taker) or
    /// IVR-first (today's language/service menu, whose result is only a hint on the call card).</summary>
    public EntryMode Mode { get; set; } = EntryMode.HumanFirst;

    /// <summary>Priority class of calls of this entry when they join the queue.</summary>
    public CallPriority Priority { get; set; } = CallPriority.Emergency;

    /// <summary>Group that takes these calls whatever the caller's region (e.g. <c>police</c> for SOS
    /// buttons); null = the group of the caller's region.</summary>
    public string? Group { get; set; }
}

public enum EntryMode
{
    HumanFirst,
    IvrFirst,
}

/// <summary>
/// Aging of the priority classes. A call's place in the queue is its queue-entry time minus its class's
/// head start; smallest first, ties by arrival order. A fresh call of a higher class therefore goes ahead
/// of lower-class calls that have waited less than the difference of the head starts, and behind those
/// that have waited longer: no class starves, and the rule never reorders calls already waiting.
/// </summary>
public sealed class QueueOptions
{
    /// <summary>SOS button and "life in danger".</summary>
    public TimeSpan CriticalHeadStart { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Ordinary 112 calls.</summary>
    public TimeSpan EmergencyHeadStart { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Calls a call-taker put back into the queue.</summary>
    public TimeSpan RequeuedHeadStart { get; set; } = TimeSpan.Zero;
}
