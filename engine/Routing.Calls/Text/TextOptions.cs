namespace Routing.Calls.Text;

/// <summary>
/// Text callers (the police app gateway, SIP MESSAGE), bound from the <c>Text</c> section. Off when the section
/// has no gateway. Validated at start by <see cref="TextOptionsValidator"/>, whose errors name the key.
/// </summary>
public sealed class TextOptions
{
    public const string Section = "Text";

    /// <summary>Gateway key (e.g. <c>app</c>) → the PJSIP endpoint whose MESSAGEs are text calls. The engine
    /// subscribes the app to each on every (re)connect: Asterisk sends TextMessageReceived only for subscribed
    /// endpoints (turn2/ari-sip-message).</summary>
    public Dictionary<string, TextGatewayOptions> Gateways { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The From of every MESSAGE the engine sends (replies, agency copies), e.g. <c>"112" &lt;sip:112@psap.example&gt;</c>.</summary>
    public string From { get; set; } = "";

    /// <summary>Agency key (of <c>Routing:Agencies</c>) → where that agency takes text: a SIP MESSAGE destination.</summary>
    public Dictionary<string, AgencyTextOptions> Agencies { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Agency a text session goes to when the centre gives up on it (nobody staffed to the end of the
    /// overflow chain) — the text twin of the voice dialplan fallback, which dials the police.</summary>
    public string FallbackAgency { get; set; } = "";

    /// <summary>A session nobody wrote in for this long is closed with reason "idle".</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A caller who writes again within this time after a close opens a new session linked to the old one
    /// (later ones are linked too while the old id is remembered; see <see cref="RememberClosed"/>).</summary>
    public int RememberClosed { get; set; } = 10_000;

    /// <summary>Longest body kept from one incoming message, in characters; the rest is cut with a ledger note.</summary>
    public int MaxBodyLength { get; set; } = 2000;

    /// <summary>Longest reply a call-taker may type, in characters.</summary>
    public int MaxReplyLength { get; set; } = 500;

    /// <summary>Messages from one number accepted per <see cref="FloodWindow"/>; more are recorded once and dropped.</summary>
    public int FloodLimit { get; set; } = 20;

    public TimeSpan FloodWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Open sessions at most; a new number beyond it is refused with a ledger-less log line and a metric
    /// (bounded memory under a flood of fake numbers).</summary>
    public int MaxOpenSessions { get; set; } = 5000;

    /// <summary>How often the engine writes its clock to the global <c>ROUTING112_TEXT_HEARTBEAT</c> over ARI. The
    /// dialplan's <c>[messages-app]</c> forwards texts itself when the heartbeat is older than <c>TEXT_HEARTBEAT_STALE</c>
    /// (extensions.conf [globals], more than twice this; check-config): the engine is away.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    public bool Enabled => Gateways.Count > 0;

    /// <summary>The agency has a text desk: listed with a non-empty <c>To</c> (an empty one takes a shipped desk away).</summary>
    public bool HasDesk(string agency) => Agencies.TryGetValue(agency, out var desk) && !string.IsNullOrWhiteSpace(desk?.To);
}

public sealed class TextGatewayOptions
{
    /// <summary>The PJSIP endpoint, e.g. <c>PJSIP/appgw</c>; check-config wants it in pjsip.conf with a <c>message_context</c>.</summary>
    public string Endpoint { get; set; } = "";

    /// <summary>Language of its callers when the message does not say (X-Language header, or the script it is written in).</summary>
    public string? Language { get; set; }

    /// <summary>How its sessions queue (Centre:Entries priority and group): <c>App</c> by default, like a voice call from the app.</summary>
    public CallEntry Entry { get; set; } = CallEntry.App;

    /// <summary>Where replies go: <c>{number}</c> is the caller's number. Default <c>pjsip:PJSIP/{number}@&lt;endpoint&gt;</c>
    /// (res_pjsip_messaging: the endpoint's contact with the number as user).</summary>
    public string? ReplyTo { get; set; }
}

public sealed class AgencyTextOptions
{
    /// <summary>SIP MESSAGE destination of the agency's text desk, e.g. <c>pjsip:police-text</c> (an endpoint) or
    /// <c>pjsip:PJSIP/1020@police-text</c>.</summary>
    public string To { get; set; } = "";
}
