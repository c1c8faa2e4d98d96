using System.Globalization;
using Routing.Asterisk.Ari;
using Routing.Calls.Ports;
using Routing.Calls.Video;

namespace Routing.Engine.Calls;

/// <summary>The call domain's telephony port over ARI REST. Stateless and shared by all calls:
/// every id comes from the call, so a retried command is idempotent.</summary>
internal sealed class AriTelephony(IAriRestClient ari, string application, Overload.OverloadGuard? overload = null, LeftoverBridges? leftovers = null,
    string? assertedIdentityHost = null) : ITelephony
{
    /// <summary>Every Stasis extension of dialplans/extensions.conf has this label; continuing there
    /// reaches the fallback even if setting ROUTING112_FAILOVER failed (a plain continue would then
    /// land in the dialplan's Hangup()).</summary>
    public const string FallbackLabel = "fallback";

    public Task AnswerAsync(string channelId, CancellationToken cancellationToken) =>
        Run("answer", () => ari.AnswerAsync(channelId, cancellationToken));

    public Task PlayAsync(string channelId, string playbackId, string media, CancellationToken cancellationToken) =>
        Run("play", () => ari.PlayAsync(channelId, media, playbackId, null, cancellationToken));

    public Task StopPlaybackAsync(string playbackId, CancellationToken cancellationToken) =>
        Run("stop playback", () => ari.StopPlaybackAsync(playbackId, cancellationToken));

    public Task StartMusicOnHoldAsync(string channelId, CancellationToken cancellationToken) =>
        Run("start moh", () => ari.StartMohAsync(channelId, null, cancellationToken));

    public Task StopMusicOnHoldAsync(string channelId, CancellationToken cancellationToken) =>
        Run("stop moh", () => ari.StopMohAsync(channelId, cancellationToken));

    public Task CreateBridgeAsync(string bridgeId, BridgeVideo video, CancellationToken cancellationToken) =>
        Run("create bridge", () => ari.CreateBridgeAsync(bridgeId, BridgeType(video), bridgeId, cancellationToken));

    public Task SetVideoSourceAsync(string bridgeId, string channelId, CancellationToken cancellationToken) =>
        Run("set video source", () => ari.SetBridgeVideoSourceAsync(bridgeId, channelId, cancellationToken));

    /// <summary>ARI bridge type attributes (res_stasis.c bridge_create_common): video needs mixing with it, since
    /// <c>video_single</c> alone gives no capability and Asterisk refuses the bridge.</summary>
    internal static string BridgeType(BridgeVideo video) => video switch
    {
        BridgeVideo.SingleSource => "mixing,video_single",
        BridgeVideo.Sfu => "mixing,video_sfu",
        _ => "mixing",
    };

    public Task AddToBridgeAsync(string bridgeId, IReadOnlyList<string> channelIds, CancellationToken cancellationToken) =>
        Run("add to bridge", () => ari.AddChannelAsync(bridgeId, channelIds, cancellationToken));

    public Task RemoveFromBridgeAsync(string bridgeId, IReadOnlyList<string> channelIds, CancellationToken cancellationToken) =>
        Run("remove from bridge", () => ari.RemoveChannelAsync(bridgeId, channelIds, cancellationToken));

    public async Task DestroyBridgeAsync(string bridgeId, CancellationToken cancellationToken)
    {
        try
        {
            await Run("destroy bridge", () => ari.DestroyBridgeAsync(bridgeId, cancellationToken)).ConfigureAwait(false);
        }
        catch (TelephonyException ex) when (NoVerdict(ex) && !cancellationToken.IsCancellationRequested)
        {
            // No verdict: the bridge may still be there, and nothing else would ever destroy it.
            leftovers?.Add(bridgeId);
            throw;
        }
    }

    public Task DialAsync(DialRequest request, CancellationToken cancellationToken) =>
        Run("originate", () => ari.OriginateAsync(
            new AriOriginateRequest(request.Endpoint, application, request.LegChannelId)
            {
                AppArgs = request.AppArgs,
                CallerId = request.CallerId,
                TimeoutSeconds = (int)Math.Ceiling(request.RingTimeout.TotalSeconds),
                Variables = assertedIdentityHost is null
                    ? request.Variables
                    : AssertedIdentity.AddTo(request.Variables, request.Endpoint, request.CallerId, assertedIdentityHost),
                Originator = request.MediaFrom,
            },
            cancellationToken));

    public Task HangupAsync(string channelId, HangupReason reason, CancellationToken cancellationToken) =>
        Run("hangup", () => ari.HangupAsync(channelId, ReasonName(reason), cancellationToken));

    public Task SetVariableAsync(string channelId, string name, string value, CancellationToken cancellationToken) =>
        Run("set variable", () => ari.SetVariableAsync(channelId, name, value, cancellationToken));

    public async Task<IReadOnlyList<string>?> VideoFormatsAsync(string channelId, CancellationToken cancellationToken)
    {
        string? names = null;
        await Run("read video formats", async () => names = await ari.GetVariableAsync(channelId, VideoFormatsFunction, cancellationToken).ConfigureAwait(false))
            .ConfigureAwait(false);
        return ParseFormatNames(names);
    }

    /// <summary>funcs/func_channel.c: the channel's native formats of type video, as main/format_cap.c
    /// <c>ast_format_cap_get_names</c> writes them.</summary>
    internal const string VideoFormatsFunction = "CHANNEL(videonativeformat)";

    /// <summary><c>ast_format_cap_get_names</c>: <c>(h264|vp8)</c>, or <c>(nothing)</c> for none. Null (unknown) for
    /// anything else, so that an answer we cannot read is never taken for "no video".</summary>
    internal static IReadOnlyList<string>? ParseFormatNames(string? names)
    {
        if (names is null || names.Length < 2 || names[0] != '(' || names[^1] != ')') return null;
        var inner = names[1..^1];
        if (inner == "nothing") return [];
        var formats = inner.Split('|');
        return formats.All(f => f.Length > 0 && f.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')) ? formats : null;
    }

    public Task ContinueInDialplanAsync(string channelId, CancellationToken cancellationToken) =>
        Run("continue", () => ari.ContinueAsync(channelId, label: FallbackLabel, ct: cancellationToken));

    /// <summary>ARI's names for hangup reasons (channels.json: normal, busy, congestion, no_answer, ...).</summary>
    internal static string ReasonName(HangupReason reason) => reason switch
    {
        HangupReason.Normal => "normal",
        HangupReason.Busy => "busy",
        HangupReason.Congestion => "congestion",
        HangupReason.NoAnswer => "no_answer",
        HangupReason.Timeout => "timeout",
        HangupReason.Rejected => "rejected",
        HangupReason.Unallocated => "unallocated",
        HangupReason.NormalUnspecified => "normal_unspecified",
        HangupReason.NumberIncomplete => "number_incomplete",
        HangupReason.CodecMismatch => "codec_mismatch",
        HangupReason.Interworking => "interworking",
        HangupReason.Failure => "failure",
        HangupReason.AnsweredElsewhere => "answered_elsewhere",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    /// <summary>Turns ARI's errors into the domain's: a resource that is gone (404, or addChannel's
    /// 400 "Channel not found") means a hang-up is already on its way.</summary>
    /// <summary>Asterisk did not say what became of the request: it timed out, Asterisk was unreachable or failed.</summary>
    private static bool NoVerdict(TelephonyException ex) => ex.InnerException is AriTimeoutException or AriUnavailableException
        || (ex.InnerException is AriException ari && (int)ari.StatusCode >= 500);

    private async Task Run(string command, Func<Task> action)
    {
        var pending = overload?.RestStarted() ?? 0;
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (AriException ex)
        {
            var gone = ex.IsNotFound
                || (ex.StatusCode == System.Net.HttpStatusCode.BadRequest && string.Equals(ex.AsteriskMessage, "Channel not found", StringComparison.OrdinalIgnoreCase));
            throw new TelephonyException(command, ex.Message, gone, ex);
        }
        catch (AriTimeoutException ex)
        {
            throw new TelephonyException(command, ex.Message, resourceGone: false, ex);
        }
        catch (AriUnavailableException ex)
        {
            throw new TelephonyException(command, string.Create(CultureInfo.InvariantCulture, $"Asterisk unreachable: {ex.Message}"), resourceGone: false, ex);
        }
        finally
        {
            // A request that failed or timed out took its time too: that is lag the guard must see.
            overload?.RestEnded(pending);
        }
    }
}
