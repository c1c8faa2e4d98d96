namespace Routing.Simulator;

/// <summary>How the simulated Asterisk is started: credentials, ports, media, trunks, dialplan and clock.</summary>
public sealed class SimulatorOptions
{
    public string AriUser { get; set; } = "routing";
    public string AriPassword { get; set; } = "routing-secret";
    public string AmiUser { get; set; } = "routing";
    public string AmiPassword { get; set; } = "routing-secret";

    /// <summary>0 = any free port on 127.0.0.1.</summary>
    public int AriPort { get; set; }

    /// <summary>0 = any free port on 127.0.0.1.</summary>
    public int AmiPort { get; set; }

    /// <summary>Length of a prompt whose length is not known from <see cref="SoundDurations"/> or a WAV file.</summary>
    public TimeSpan DefaultPromptDuration { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Media uri ("sound:x") → length.</summary>
    public Dictionary<string, TimeSpan> SoundDurations { get; set; } = new();

    /// <summary>
    /// If set, sound:&lt;path&gt; plays &lt;dir&gt;/&lt;path&gt;.wav for its real length, and a missing file
    /// ends in PlaybackFinished "failed" (as the trace for sound:does-not-exist).
    /// </summary>
    public string? SoundsDirectory { get; set; }

    /// <summary>Key: endpoint resource, e.g. "fire-almaty-1" for "PJSIP/fire-almaty-1".</summary>
    public Dictionary<string, TrunkBehavior> Trunks { get; set; } = new();

    /// <summary>
    /// Call-takers' phones: endpoint resource (e.g. "calltaker-1") → how it answers offers. Each is a PJSIP endpoint with
    /// one registered contact (see <see cref="SimulatedCallTaker"/>), reported offline until it registers.
    /// </summary>
    public Dictionary<string, CallTakerBehavior> CallTakers { get; set; } = new();

    /// <summary>true (default): every call-taker phone is registered before the simulator starts (online, NOT_INUSE);
    /// false: all are offline until a test calls <see cref="SimulatedCallTaker.Register"/>, as before any REGISTER in the trace.</summary>
    public bool CallTakersRegisteredAtStart { get; set; } = true;

    /// <summary>Endpoints that only exchange SIP MESSAGE (the app's text gateway, an agency's text desk), e.g. "appgw":
    /// static contacts, always online, like <c>texter</c> in turn2. See <see cref="SimulatedAsterisk.SendTextMessage"/>.</summary>
    public HashSet<string> TextEndpoints { get; set; } = new(StringComparer.Ordinal);

    /// <summary>true (default): res_stasis_device_state is loaded. false: as an Asterisk built or configured without it,
    /// a <c>deviceState:</c> subscription is refused 400 "Invalid event source URI scheme" and no app gets DeviceStateChanged.</summary>
    public bool DeviceStateEventSource { get; set; } = true;

    /// <summary>The video formats the device behind each endpoint takes (resource name, e.g. "calltaker-1" → ["h264"]); one
    /// not listed takes h264 and vp8. A leg originated with a video originator is offered the originator's formats and the
    /// endpoint's (<c>[video-endpoint]</c>: h264, vp8) and gets the first its device takes; without an originator, none
    /// (main/dial.c asks the endpoint for audio only), as a real Asterisk 23.4.1 showed.</summary>
    public Dictionary<string, IReadOnlyList<string>> VideoFormats { get; set; } = new(StringComparer.Ordinal);

    /// <summary>null = an originate to an unknown PJSIP endpoint answers 500 {"error":"Allocation failed"} like real Asterisk.</summary>
    public TrunkBehavior? UnknownEndpointBehavior { get; set; }

    public DialplanOptions Dialplan { get; set; } = DialplanOptions.Default;

    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>Bound of each event socket's and AMI session's outgoing queue; a client that falls this far behind is disconnected (Asterisk's websocket_write_timeout).</summary>
    public int OutgoingQueueCapacity { get; set; } = 20_000;

    /// <summary>How many ARI requests <see cref="SimulatedAsterisk.Requests"/> keeps (oldest dropped first), so a long load run does not grow without bound.</summary>
    public int MaxRecordedRequests { get; set; } = 100_000;

    internal void Validate()
    {
        static void Require(bool ok, string what)
        {
            if (!ok) throw new ArgumentException($"SimulatorOptions: {what}");
        }
        Require(!string.IsNullOrEmpty(AriUser) && !string.IsNullOrEmpty(AriPassword), "AriUser/AriPassword must be set");
        Require(!string.IsNullOrEmpty(AmiUser) && !string.IsNullOrEmpty(AmiPassword), "AmiUser/AmiPassword must be set");
        Require(AriPort is >= 0 and <= 65535, $"AriPort {AriPort} is not a TCP port");
        Require(AmiPort is >= 0 and <= 65535, $"AmiPort {AmiPort} is not a TCP port");
        Require(DefaultPromptDuration >= TimeSpan.Zero, "DefaultPromptDuration must not be negative");
        Require(OutgoingQueueCapacity > 0, "OutgoingQueueCapacity must be positive");
        Require(MaxRecordedRequests >= 0, "MaxRecordedRequests must not be negative");
        Require(Dialplan is not null, "Dialplan must be set");
        Require(Time is not null, "Time must be set");
        foreach (var (media, length) in SoundDurations)
            Require(length >= TimeSpan.Zero, $"SoundDurations['{media}'] must not be negative");
        foreach (var (resource, behavior) in Trunks)
        {
            Require(!string.IsNullOrWhiteSpace(resource) && !resource.Contains('/'), $"Trunks key '{resource}' must be an endpoint resource such as 'fire-almaty-1' (no technology/ prefix)");
            Require(behavior is not null && behavior.After >= TimeSpan.Zero, $"Trunks['{resource}'] needs a behavior with a non-negative delay");
        }
        foreach (var (resource, behavior) in CallTakers)
        {
            Require(!string.IsNullOrWhiteSpace(resource) && !resource.Contains('/') && !resource.Contains(','), $"CallTakers key '{resource}' must be an endpoint resource such as 'calltaker-1' (no technology/ prefix, no comma)");
            Require(behavior is not null, $"CallTakers['{resource}'] needs a behavior");
            Require(!Trunks.ContainsKey(resource) && resource != "caller", $"CallTakers key '{resource}' is already an endpoint (a trunk or the caller endpoint)");
        }
        Dialplan!.Validate();
    }
}

public enum TrunkAnswer { Answer, Busy, NoAnswer, Fail }

/// <summary>What an agency trunk does when it is dialled.</summary>
public sealed record TrunkBehavior(TrunkAnswer Answer, TimeSpan After, TimeSpan? HangUpAfterAnswer = null)
{
    /// <summary>Rings, answers after <paramref name="after"/>, and (optionally) the agency hangs up <paramref name="hangUpAfter"/> later.</summary>
    public static TrunkBehavior Answers(TimeSpan after, TimeSpan? hangUpAfter = null) => new(TrunkAnswer.Answer, after, hangUpAfter);

    /// <summary>486 Busy Here after <paramref name="after"/>: cause 17.</summary>
    public static TrunkBehavior Busy(TimeSpan after) => new(TrunkAnswer.Busy, after);

    /// <summary>Rings until the originate timeout: cause 19.</summary>
    public static TrunkBehavior NoAnswer => new(TrunkAnswer.NoAnswer, TimeSpan.Zero);

    /// <summary>The trunk fails after <paramref name="after"/>: cause 34 (circuit/channel congestion).</summary>
    public static TrunkBehavior Fails(TimeSpan after) => new(TrunkAnswer.Fail, after);
}
