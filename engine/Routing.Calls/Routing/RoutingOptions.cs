namespace Routing.Calls.Routing;

/// <summary>
/// The routing configuration, bound from the <c>Routing</c> section (appsettings.json, then
/// environment overrides such as <c>Routing__Timers__MenuDigit=00:00:06</c>). Validated at start
/// by <see cref="RoutingOptionsValidator"/>, whose errors name the configuration key.
/// </summary>
public sealed class RoutingOptions
{
    public const string Section = "Routing";

    /// <summary>Agency key (police, fire, ambulance, gas) → agency.</summary>
    public Dictionary<string, AgencyOptions> Agencies { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Regions, chosen by the longest caller-number prefix; <see cref="DefaultRegion"/> otherwise.</summary>
    public Dictionary<string, RegionOptions> Regions { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public string DefaultRegion { get; set; } = "";

    /// <summary>Agency key → trunks tried after every region in the overflow chain failed.</summary>
    public Dictionary<string, List<TrunkOptions>> NationalFallback { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The human 112 call-takers: unclassified, silent or timed-out calls go here.</summary>
    public OperatorOptions Operators { get; set; } = new();

    public IvrOptions Ivr { get; set; } = new();

    /// <summary>Known SOS street buttons and other devices, by caller number.</summary>
    public Dictionary<string, DeviceOptions> Devices { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public TimerOptions Timers { get; set; } = new();

    /// <summary>Caller id shown to agencies; <c>{caller}</c> is replaced by the caller's number.</summary>
    public string AgencyCallerId { get; set; } = "\"112 {caller}\" <{caller}>";

    /// <summary>How far a caller's location is trusted to choose the region (<c>Routing:Location</c>).</summary>
    public global::Routing.Calls.Location.LocationOptions Location { get; set; } = new();

    /// <summary>Which entries' calls carry video, and how their bridges carry it (<c>Routing:Video</c>).</summary>
    public global::Routing.Calls.Video.VideoOptions Video { get; set; } = new();
}

public sealed class AgencyOptions
{
    public string DisplayName { get; set; } = "";
}

public sealed class RegionOptions
{
    /// <summary>Caller-number prefixes (E.164 with +, or national) that place a caller in this region.</summary>
    public List<string> CallerPrefixes { get; set; } = [];

    /// <summary>Agency key → trunks in the order they are tried.</summary>
    public Dictionary<string, List<TrunkOptions>> Trunks { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Region tried when none of this region's trunks for an agency answered (Overflow).</summary>
    public string? OverflowTo { get; set; }

    /// <summary>The region's outline as GeoJSON Polygon coordinates: rings of [longitude, latitude], the first the
    /// outline, the others holes, each closed. A caller with a trustworthy location inside it is routed here,
    /// whatever its number says. Regions are tried in configuration order: list cities before their oblasts.</summary>
    public List<List<List<double>>>? Area { get; set; }

    /// <summary>The same as a whole GeoJSON text (Polygon, MultiPolygon, Feature or FeatureCollection), for
    /// outlines exported from a map; at most one of <see cref="Area"/> and this.</summary>
    public string? AreaGeoJson { get; set; }
}

public sealed class TrunkOptions
{
    /// <summary>Short name for metrics and the ledger, e.g. <c>fire-almaty-1</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>Asterisk dial string, e.g. <c>PJSIP/fire-almaty-1</c>.</summary>
    public string Endpoint { get; set; } = "";

    public TimeSpan RingTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The trunk's far end reads PIDF-LO (RFC 6442): its legs carry <c>Geolocation: &lt;https://…&gt;</c>
    /// and <c>Geolocation-Routing: no</c>, a reference to the call's location served by the engine
    /// (<c>LocationReference:BaseUrl</c>, which must then be set).</summary>
    public bool TakesPidfLo { get; set; }
}

public sealed class OperatorOptions
{
    public List<TrunkOptions> Trunks { get; set; } = [];

    /// <summary>How long a caller may wait for a call-taker before the dialplan fallback takes over.</summary>
    public TimeSpan QueueTimeout { get; set; } = TimeSpan.FromSeconds(90);
}

public sealed class IvrOptions
{
    /// <summary>Digit → language code (kk, ru, en): the language menu.</summary>
    public Dictionary<string, string> LanguageDigits { get; set; } = new();

    /// <summary>Digit → agency key: the service menu.</summary>
    public Dictionary<string, string> ServiceDigits { get; set; } = new();

    public string DefaultLanguage { get; set; } = "ru";

    /// <summary>Entry (<c>112</c>, <c>app</c>, <c>direct</c>, <c>sos</c>) → the language of a call of that
    /// entry that skips the menu. Unlisted entries use <see cref="DefaultLanguage"/>. See <see cref="CallLanguage"/>.</summary>
    public Dictionary<string, string> EntryLanguages { get; set; } = new();

    /// <summary>Take the caller channel's language (pjsip.conf <c>language=</c> of the caller's endpoint)
    /// for calls that skip the menu and whose entry has no <see cref="EntryLanguages"/> entry. Off by
    /// default: Asterisk reports <c>en</c> for any endpoint without <c>language=</c>.</summary>
    public bool TrustChannelLanguage { get; set; }

    /// <summary>How many times a menu is repeated when nothing is pressed before the call goes to a call-taker.</summary>
    public int MenuRepeats { get; set; } = 1;

    /// <summary>Where prompts live as Asterisk sees them: <c>sound:{PromptBase}/{language}/{prompt}</c>.</summary>
    public string PromptBase { get; set; } = "112";
}

public sealed class DeviceOptions
{
    /// <summary>Kind of device, e.g. <c>sos-button</c>.</summary>
    public string Kind { get; set; } = "sos-button";

    public string Agency { get; set; } = "";

    public string Region { get; set; } = "";

    /// <summary>Where the device stands in words (an address), passed to the agency as a channel variable.</summary>
    public string Location { get; set; } = "";

    /// <summary>Where the device stands (WGS 84); with <see cref="Longitude"/> it becomes the call's location
    /// (source sos-device) at arrival and chooses the region like any trustworthy location.</summary>
    public double? Latitude { get; set; }

    public double? Longitude { get; set; }

    /// <summary>How far off the configured place may be, in metres (a surveyed pole: a few metres).</summary>
    public double UncertaintyMeters { get; set; } = 10;
}

public sealed class TimerOptions
{
    /// <summary>Longest wait for the answer command to take effect.</summary>
    public TimeSpan Answer { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest a single prompt may play before we stop waiting for PlaybackFinished.</summary>
    public TimeSpan Prompt { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Wait for a digit after a menu prompt ends.</summary>
    public TimeSpan MenuDigit { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest a call may stay Queued before dialing starts.</summary>
    public TimeSpan Queue { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a dialled caller waits before the "connecting" prompt starts. An agency that answers
    /// sooner (a trunk that answers at once) means no prompt at all: no playback started only to be stopped,
    /// two REST requests fewer. Zero plays it at once, before the first dial.</summary>
    public TimeSpan ConnectingPrompt { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest the whole dialing plan (all trunks, all regions) may take. Must be longer than
    /// the ring timeouts of the worst-case plan together (the validator checks every region and agency),
    /// or it cuts the last trunks; 180 s fits the shipped plans (at most 165 s of ringing).</summary>
    public TimeSpan DialingTotal { get; set; } = TimeSpan.FromSeconds(180);

    /// <summary>Longest a bridged call is kept before the engine checks it is still alive.</summary>
    public TimeSpan ConnectedMax { get; set; } = TimeSpan.FromHours(4);
}
