using Microsoft.Extensions.Logging;
using Routing.Asterisk.Ari;

namespace Routing.Engine.Calls;

/// <summary>
/// Asks Asterisk, after every (re)connect of the event websocket, not to send the app event types the engine never
/// reads. On a real Asterisk 23.4.1 about 33 ChannelVarset events per routed call reach the app — all set by Asterisk
/// itself (BRIDGEPEER, BRIDGEPVTCALLID on every bridge change, RTPAUDIOQOS* at hang-up, STASISSTATUS) — and each is
/// serialized, queued on the app's taskprocessor, sent, parsed and dropped. Filtered at the source they cost nothing.
/// The filter lives on Asterisk's app object, which is destroyed when it holds nothing while the engine is away,
/// hence the re-apply on every connect. A failure only costs the flood, never a call, so it is logged and left.
/// </summary>
internal sealed class AriEventFilter(IAriRestClient ari, AriOptions options, ILogger<AriEventFilter> logger)
{
    /// <summary>
    /// Only types that no part of the engine reads (AriEventTranslator, the reconciler, restart recovery). Everything a
    /// call, a bridge, a playback, a recording or the call-taker centre may need is left on: StasisStart/End,
    /// ChannelDestroyed, ChannelHangupRequest, ChannelStateChange, Dial, Playback*, ChannelDtmfReceived, endpoint and
    /// device states, Bridge*, ChannelEntered/LeftBridge, Recording*, TextMessageReceived, ChannelHold/Unhold.
    /// </summary>
    public static readonly IReadOnlyList<string> Disallowed =
    [
        "ChannelVarset",         // ~33 per call, all set by Asterisk (BRIDGEPEER, BRIDGEPVTCALLID, RTPAUDIOQOS*, STASISSTATUS)
        "ChannelDialplan",       // dialplan position changes: the engine reads the dialplan from StasisStart
        "ChannelCallerId",       // the caller id is taken once, from StasisStart
        "ChannelConnectedLine",  // connected-line updates on every bridge/dial: the agency's identity is the engine's decision
        "ChannelTalkingStarted", // only with TALK_DETECT, which the engine never sets
        "ChannelTalkingFinished",
        "ChannelToneDetected",   // only with TONE_DETECT, which the engine never sets
    ];

    public async Task ApplyAsync(long generation, CancellationToken cancellationToken)
    {
        try
        {
            await ari.SetEventFilterAsync(options.Application, allowed: [], disallowed: Disallowed, cancellationToken).ConfigureAwait(false);
            LogMessages.AriEventFilterApplied(logger, generation, Disallowed.Count);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is AriException or AriTimeoutException or AriUnavailableException)
        {
            LogMessages.AriEventFilterFailed(logger, generation, ex.Message);
        }
    }
}
