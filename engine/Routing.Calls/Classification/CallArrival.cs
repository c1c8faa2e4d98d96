namespace Routing.Calls;

/// <summary>What the engine knows when a caller channel enters our Stasis app (StasisStart),
/// as Asterisk reported it: nothing here is trusted or cleaned yet.</summary>
public sealed record CallArrival(
    string CallerChannelId,
    string CallerNumber,
    string CallerName,
    string DialedNumber,
    IReadOnlyList<string> StasisArgs,
    string ChannelLanguage,
    DateTimeOffset At);
