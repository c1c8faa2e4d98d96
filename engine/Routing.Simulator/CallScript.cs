namespace Routing.Simulator;

/// <summary>What a simulated caller does: who calls, what is dialled, digits pressed after answer, when they give up
/// (<paramref name="HangUpAfter"/>, counted from the start of the call), and how long they talk once put through to an
/// agency (<paramref name="TalkFor"/>, counted from the first bridge, by the engine or by the dialplan fallback). A test
/// that expects the call to be put through uses TalkFor, so that a slow engine delays the outcome but cannot change it.
/// <paramref name="SipHeaders"/> are extra headers of the caller's INVITE (e.g. <c>Geolocation</c>), read with <c>PJSIP_HEADER(read,…)</c>.
/// <paramref name="VideoFormats"/>: the video codecs the caller's call negotiated (e.g. <c>["vp8"]</c>); null or empty, an audio call.</summary>
public sealed record CallScript(
    string CallerNumber,
    string Dialed = "112",
    string CallerName = "",
    IReadOnlyList<DtmfStep>? Dtmf = null,
    TimeSpan? HangUpAfter = null,
    string Language = "en",
    string Context = "from-caller",
    TimeSpan? TalkFor = null,
    IReadOnlyDictionary<string, string>? SipHeaders = null,
    IReadOnlyList<string>? VideoFormats = null);

/// <summary>A digit pressed <paramref name="After"/> the previous step (the first: after answer). Arrives as RFC 4733, duration 280 ms.</summary>
public sealed record DtmfStep(char Digit, TimeSpan After);

/// <summary>How a caller's channel ended. HungUpBy: "caller" | "app" | "peer" | "dialplan".</summary>
public sealed record CallEnd(string HungUpBy, int Cause, bool ReachedStasis, string? FallbackEndpoint, string? BridgedWith);

/// <summary>One ARI REST request the simulator received, with the status it answered.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, string? Body, int Status);

/// <summary>A snapshot of the simulator's counters.</summary>
public sealed record SimulatorStats(
    long CallsPlaced,
    long CallsEnded,
    long CallsReachedStasis,
    long FallbackDials,
    long Originates,
    long OriginatesRejected,
    int ActiveChannels,
    int ActiveBridges,
    long AriEventsSent,
    long AriEventsDroppedInactiveApp,
    long EventSocketsOverflowed,
    long AmiEventsSent,
    long RestRequests,
    long InternalErrors,
    long AriEventsFiltered = 0,
    long AriChannelVarsetsSent = 0);
