namespace Routing.Simulator.Model;

/// <summary>Caller ID or connected line of a channel, as ARI shows it ({name, number}).</summary>
internal readonly record struct PartyId(string Name, string Number)
{
    public static readonly PartyId Empty = new("", "");
}

/// <summary>
/// A channel in the simulated PBX. Mutated only under <see cref="Core.Pbx"/>'s lock, so it needs no locking itself.
/// </summary>
internal sealed class SimChannel
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    /// <summary>Endpoint resource: "caller" for callers, e.g. "fire-almaty-1" for agency legs.</summary>
    public required string Resource { get; init; }
    /// <summary>ARI endpoint id, "PJSIP/&lt;resource&gt;".</summary>
    public string EndpointId => _endpointId ??= "PJSIP/" + Resource;
    private string? _endpointId;
    /// <summary>Put on hold over ARI (POST /channels/{id}/hold): the device reports ONHOLD.</summary>
    public bool OnHold { get; set; }
    public required string ProtocolId { get; set; }
    public required DateTimeOffset Created { get; init; }
    public required string Language { get; init; }
    public required string LinkedId { get; set; }
    /// <summary>Creation order (the uniqueid's sequence), for listings.</summary>
    public required int Sequence { get; init; }

    public ChannelState State { get; set; } = ChannelState.Down;
    public PartyId Caller { get; set; } = PartyId.Empty;
    public PartyId Connected { get; set; } = PartyId.Empty;

    public string Context { get; set; } = "";
    public string Exten { get; set; } = "";
    public int Priority { get; set; } = 1;
    public string AppName { get; set; } = "";
    public string AppData { get; set; } = "";

    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

    /// <summary>Headers of the caller's INVITE, as <c>PJSIP_HEADER(read,…)</c> sees them (name case-insensitive).</summary>
    public IReadOnlyDictionary<string, string> SipHeaders { get; set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The video formats its SDP negotiated (<c>CHANNEL(videonativeformat)</c>): a caller's from its
    /// <see cref="CallScript.VideoFormats"/>, a leg's from its originator and its endpoint (<see cref="SimulatorOptions.VideoFormats"/>).</summary>
    public IReadOnlyList<string> VideoFormats { get; set; } = [];

    /// <summary>Name of the Stasis app the channel is in, or null when it runs dialplan (or nothing).</summary>
    public string? StasisApp { get; set; }

    /// <summary>Apps that get this channel's events (the Stasis app, and the app that originated it).</summary>
    public HashSet<string> SubscribedApps { get; } = new(StringComparer.Ordinal);

    /// <summary>addChannel's role (e.g. "announcer", "participant" in a holding bridge), or null.</summary>
    public string? BridgeRole { get; set; }

    /// <summary>The ARI bridge the channel is in.</summary>
    public SimBridge? Bridge { get; set; }

    /// <summary>The basic bridge a dialplan Dial() put the caller and the agency leg in (not visible over ARI).</summary>
    public SimBridge? DialBridge { get; set; }

    /// <summary>The dialplan extension a caller arrived on (null for legs, or when no route matched).</summary>
    public DialplanRoute? Route { get; set; }

    /// <summary>Set for agency legs created by originate or by the dialplan fallback.</summary>
    public OutboundLeg? Leg { get; set; }

    /// <summary>Set for caller channels placed through the control API.</summary>
    public SimulatedCall? Call { get; set; }

    /// <summary>The other side of a dialplan Dial(): the leg for a caller, the caller for a leg.</summary>
    public SimChannel? DialPeer { get; set; }

    public Queue<SimPlayback> PlaybackQueue { get; } = new();
    public SimPlayback? CurrentPlayback { get; set; }

    /// <summary>Pending timers (answer, DTMF steps, hang-ups); cancelled when the channel goes.</summary>
    public List<IDisposable> Timers { get; } = new();

    /// <summary>TIMEOUT(absolute): when Asterisk will cut the channel loose (ast_channel_whentohangup), and its timer.</summary>
    public DateTimeOffset? HangUpAt { get; set; }
    public IDisposable? AbsoluteTimeout { get; set; }

    public bool Gone { get; set; }
    public bool HangupRequested { get; set; }

    public bool InStasis => StasisApp is not null;
}

/// <summary>Channel states with Asterisk's numeric codes (AMI ChannelState) and names (ARI state, AMI ChannelStateDesc).</summary>
internal enum ChannelState
{
    Down = 0,
    Ring = 4,
    Ringing = 5,
    Up = 6,
}

/// <summary>What an agency leg was asked to do and how the trunk behaves.</summary>
internal sealed class OutboundLeg
{
    public required TrunkBehavior Behavior { get; init; }
    public required string DialString { get; init; }
    public required TimeSpan Timeout { get; set; }
    /// <summary>Stasis app to enter on answer (originate), or null for a dialplan Dial() leg.</summary>
    public string? App { get; init; }
    public IReadOnlyList<string> AppArgs { get; init; } = [];
    public bool Answered { get; set; }
    /// <summary>Made by POST /channels/create: in Stasis from the start, dialled later by POST /channels/{id}/dial.</summary>
    public bool Created { get; init; }
    public bool Dialled { get; set; }
}
