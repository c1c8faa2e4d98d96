namespace Routing.Calls.Ports;

/// <summary>
/// What a call needs from telephony. Implemented over ARI by the engine, by the simulator's
/// direct driver in benchmarks, and by fakes in unit tests. Every id is chosen by the caller of
/// the port (the call), so a retried command is idempotent and the ledger row can exist first.
/// A failed command throws <see cref="TelephonyException"/>; the call turns that into a trigger.
/// </summary>
public interface ITelephony
{
    Task AnswerAsync(string channelId, CancellationToken cancellationToken);

    /// <summary>Plays <paramref name="media"/> (e.g. <c>sound:112/ru/greeting</c>); completion
    /// arrives later as <see cref="CallInput.PlaybackFinished"/> carrying <paramref name="playbackId"/>.</summary>
    Task PlayAsync(string channelId, string playbackId, string media, CancellationToken cancellationToken);

    Task StopPlaybackAsync(string playbackId, CancellationToken cancellationToken);

    Task StartMusicOnHoldAsync(string channelId, CancellationToken cancellationToken);

    Task StopMusicOnHoldAsync(string channelId, CancellationToken cancellationToken);

    /// <summary>Creates a mixing bridge; with <paramref name="video"/> other than None, one that carries video in that mode.</summary>
    Task CreateBridgeAsync(string bridgeId, Video.BridgeVideo video, CancellationToken cancellationToken);

    /// <summary>Makes <paramref name="channelId"/>, which is in the bridge, the one video source every other party sees
    /// (ARI <c>POST /bridges/{id}/videoSource/{channelId}</c>). Asterisk forgets it when that channel leaves the bridge.</summary>
    Task SetVideoSourceAsync(string bridgeId, string channelId, CancellationToken cancellationToken);

    Task AddToBridgeAsync(string bridgeId, IReadOnlyList<string> channelIds, CancellationToken cancellationToken);

    /// <summary>Takes channels out of a bridge (they stay in our app): a call-taker putting the caller on hold.</summary>
    Task RemoveFromBridgeAsync(string bridgeId, IReadOnlyList<string> channelIds, CancellationToken cancellationToken);

    Task DestroyBridgeAsync(string bridgeId, CancellationToken cancellationToken);

    /// <summary>Originates a leg into our Stasis app. Its progress arrives as
    /// LegRinging / LegAnswered / LegEnded inputs carrying <see cref="DialRequest.LegChannelId"/>.</summary>
    Task DialAsync(DialRequest request, CancellationToken cancellationToken);

    Task HangupAsync(string channelId, HangupReason reason, CancellationToken cancellationToken);

    Task SetVariableAsync(string channelId, string name, string value, CancellationToken cancellationToken);

    /// <summary>The video formats the channel carries as negotiated (Asterisk <c>CHANNEL(videonativeformat)</c>), e.g.
    /// <c>["h264"]</c>; empty when its SDP carries no video. Null when this telephony cannot tell: the call then records
    /// nothing about its legs' video.</summary>
    Task<IReadOnlyList<string>?> VideoFormatsAsync(string channelId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>?>(null);

    /// <summary>Hands the channel back to the dialplan: continues at the dialplan's <c>fallback</c>
    /// label of the channel's current extension (ARI <c>continue?label=fallback</c>), whose own
    /// fallback then puts the call through. Jumping to the label, rather than to the next priority,
    /// keeps the hand-over working even when the ROUTING112_* variables could not be set (a plain
    /// continue would then land in the extension's Hangup()); the variables only choose the agency
    /// and region there.</summary>
    Task ContinueInDialplanAsync(string channelId, CancellationToken cancellationToken);
}

/// <param name="LegChannelId">Channel id we choose for the originated leg.</param>
/// <param name="Endpoint">Asterisk dial string, e.g. <c>PJSIP/fire-almaty</c>.</param>
/// <param name="CallerId">Caller id presented to the agency, e.g. <c>"112" &lt;+77011234567&gt;</c>.</param>
/// <param name="AppArgs">Stasis args of the leg, e.g. <c>dialed,fire,&lt;caller channel id&gt;</c>.</param>
public sealed record DialRequest(
    string LegChannelId,
    string Endpoint,
    string CallerId,
    TimeSpan RingTimeout,
    IReadOnlyList<string> AppArgs,
    IReadOnlyDictionary<string, string> Variables)
{
    /// <summary>The channel whose media the leg is offered (ARI <c>originator</c>), as <c>Dial()</c> offers the caller's:
    /// set to the caller's channel for a video call. Without it Asterisk asks the endpoint for every audio format and
    /// nothing else (main/dial.c <c>begin_dial_prerun</c>), so the leg's INVITE carries no m=video and the call-taker or
    /// agency never gets the caller's picture (seen on Asterisk 23.4.1, load-tests/asterisk video-app). Null for audio
    /// calls, whose legs stay as they were (the originator also gives the leg the caller's linkedid).</summary>
    public string? MediaFrom { get; init; }
}

/// <summary>ARI's hangup reasons (channels.json, DELETE /channels/{id}?reason=).</summary>
public enum HangupReason { Normal, Busy, Congestion, NoAnswer, Timeout, Rejected, Unallocated, NormalUnspecified, NumberIncomplete, CodecMismatch, Interworking, Failure, AnsweredElsewhere }

/// <summary>A telephony command failed. <see cref="ResourceGone"/> is true when Asterisk says the
/// channel/bridge no longer exists (404), which usually means a hang-up is already on its way.</summary>
public sealed class TelephonyException(string command, string message, bool resourceGone, Exception? inner = null)
    : Exception($"{command} failed: {message}", inner)
{
    public string Command { get; } = command;

    /// <summary>What Asterisk (or the link to it) said, without the command's name.</summary>
    public string Reason { get; } = message;

    public bool ResourceGone { get; } = resourceGone;
}
