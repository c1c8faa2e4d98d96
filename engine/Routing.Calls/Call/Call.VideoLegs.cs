using Routing.Calls.Video;

namespace Routing.Calls;

/// <summary>
/// What each leg of a video call really carries. Asterisk does not transcode video: a call-taker phone or an agency that
/// shares no video codec with the caller (a VP8-only app and an H.264-only desk) answers with the video declined, and the
/// call goes on with audio only. That never fails the call; the ledger says it per leg (<c>video.leg</c> or
/// <c>video.none</c> with the formats on both sides), so "I see no picture" has an answer on record.
/// </summary>
public sealed partial class Call
{
    /// <summary>Reads the caller's and the leg's negotiated video formats once the leg is bridged (the audio is never held
    /// up for it) and records what the leg got. Nothing is recorded when the telephony cannot tell or a read fails
    /// (that failure is its own <c>command.failed</c>).</summary>
    private async Task RecordLegVideoAsync(string party, string channelId, string? legId)
    {
        if (BridgeVideoOfCall == BridgeVideo.None || _callerGone) return;
        var caller = await ReadVideoFormatsAsync(CallerChannelId);
        var leg = caller is null ? null : await ReadVideoFormatsAsync(channelId);
        if (caller is null || leg is null) return;
        var common = leg.Where(f => caller.Contains(f, StringComparer.OrdinalIgnoreCase)).ToList();
        if (common.Count > 0)
        {
            await JournalAsync("video.leg", $"{party}: {string.Join(",", common)} (the caller sends {string.Join(",", caller)})", legId);
            return;
        }
        var why = caller.Count == 0
            ? "the caller's call carries no video"
            : leg.Count == 0
                ? $"it took none of the caller's video ({string.Join(",", caller)}): no common video codec, and Asterisk does not transcode video"
                : $"it negotiated {string.Join(",", leg)}, the caller sends {string.Join(",", caller)}: Asterisk does not transcode video";
        CallLog.VideoNotPossible(_log, CallId, party, why);
        await JournalAsync("video.none", $"{party}: audio only; {why}", legId);
    }

    private async Task<IReadOnlyList<string>?> ReadVideoFormatsAsync(string channelId)
    {
        IReadOnlyList<string>? formats = null;
        var read = await CommandAsync("readVideoFormats", channelId,
            async ct => formats = await _deps.Telephony.VideoFormatsAsync(channelId, ct), goneIsExpected: true);
        return read == CommandResult.Done ? formats : null;
    }
}
