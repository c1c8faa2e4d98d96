using Routing.Asterisk.Ari;
using Routing.Calls.Ports;

namespace Routing.Engine.Calls;

/// <summary>
/// Pure mapping from an ARI event about a channel some call owns to the call's input, or null when
/// the call has nothing to learn from it (ChannelVarset, ChannelConnectedLine, ...). Kept apart from
/// the dispatcher so the mapping is testable with the recorded traces alone.
/// </summary>
internal static class AriEventTranslator
{
    /// <param name="isCaller">True when <paramref name="channelId"/> is the call's caller channel, false for an agency leg.</param>
    public static CallInput? Translate(AriEvent ariEvent, string channelId, bool isCaller) => ariEvent switch
    {
        ChannelDtmfReceived dtmf when isCaller && dtmf.Digit.Length == 1 => new CallInput.CallerDtmf(dtmf.Digit[0]),
        PlaybackFinished finished => new CallInput.PlaybackFinished(finished.Playback.Id, IsFailed(finished.Playback.State)),
        ChannelHangupRequest hangup when isCaller => new CallInput.CallerHungUp(hangup.Cause),
        StasisEnd when isCaller => new CallInput.CallerHungUp(null),
        ChannelDestroyed destroyed when isCaller => new CallInput.CallerHungUp(destroyed.Cause),
        ChannelDestroyed destroyed => new CallInput.LegEnded(channelId, destroyed.Cause, destroyed.CauseTxt ?? ""),
        StasisStart when !isCaller => new CallInput.LegAnswered(channelId),
        Dial dial when !isCaller && dial.Dialstatus == "RINGING" => new CallInput.LegRinging(channelId),
        _ => null,
    };

    /// <summary>The channel an event is about, for routing it to its call; null when it is about none.</summary>
    public static string? ChannelOf(AriEvent ariEvent) => ariEvent switch
    {
        StasisStart e => e.Channel.Id,
        StasisEnd e => e.Channel.Id,
        ChannelDtmfReceived e => e.Channel.Id,
        ChannelHangupRequest e => e.Channel.Id,
        ChannelDestroyed e => e.Channel.Id,
        ChannelStateChange e => e.Channel.Id,
        Dial e => e.Peer.Id,
        PlaybackStarted e => TargetChannel(e.Playback.TargetUri),
        PlaybackFinished e => TargetChannel(e.Playback.TargetUri),
        _ => null,
    };

    private static bool IsFailed(string? state) => string.Equals(state, "failed", StringComparison.OrdinalIgnoreCase);

    private static string? TargetChannel(string? targetUri) =>
        targetUri is not null && targetUri.StartsWith("channel:", StringComparison.Ordinal) ? targetUri["channel:".Length..] : null;
}
