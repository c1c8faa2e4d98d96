using Routing.Calls;
using Routing.Calls.Ports;

namespace Routing.Bench.Micro;

/// <summary>
/// Telephony that plays a caller and an agency with no I/O, by posting to the call what Asterisk
/// would report: every prompt finishes at once, the caller presses <see cref="LanguageDigit"/> and
/// <see cref="ServiceDigit"/> after the two menus, every dialled leg rings and answers, and the caller
/// hangs up as soon as the agency is in the bridge. One call's whole life then runs at CPU speed.
/// </summary>
public sealed class SelfAnsweringTelephony : ITelephony
{
    private Call? call;

    public char LanguageDigit { get; init; } = '2';

    public char ServiceDigit { get; init; } = '1';

    public long Commands { get; private set; }

    /// <summary>The call this telephony answers for; set before <see cref="Call.Start"/>.</summary>
    public void Serve(Call next) => call = next;

    private Call Current => call ?? throw new InvalidOperationException("Serve(call) was not called");

    public Task AnswerAsync(string channelId, CancellationToken cancellationToken) => Done();

    public Task PlayAsync(string channelId, string playbackId, string media, CancellationToken cancellationToken)
    {
        Current.Post(new CallInput.PlaybackFinished(playbackId, Failed: false));
        if (media.EndsWith("/language-menu", StringComparison.Ordinal)) Current.Post(new CallInput.CallerDtmf(LanguageDigit));
        else if (media.EndsWith("/service-menu", StringComparison.Ordinal)) Current.Post(new CallInput.CallerDtmf(ServiceDigit));
        return Done();
    }

    public Task StopPlaybackAsync(string playbackId, CancellationToken cancellationToken) => Done();

    public Task StartMusicOnHoldAsync(string channelId, CancellationToken cancellationToken) => Done();

    public Task StopMusicOnHoldAsync(string channelId, CancellationToken cancellationToken) => Done();

    public Task CreateBridgeAsync(string bridgeId, global::Routing.Calls.Video.BridgeVideo video, CancellationToken cancellationToken) => Done();

    public Task SetVideoSourceAsync(string bridgeId, string channelId, CancellationToken cancellationToken) => Done();

    public Task AddToBridgeAsync(string bridgeId, IReadOnlyList<string> channelIds, CancellationToken cancellationToken)
    {
        // The agency leg joining the caller's bridge means the call is connected: the caller hangs up.
        if (channelIds.Any(id => !string.Equals(id, Current.CallerChannelId, StringComparison.Ordinal)))
            Current.Post(new CallInput.CallerHungUp(16));
        return Done();
    }

    public Task RemoveFromBridgeAsync(string bridgeId, IReadOnlyList<string> channelIds, CancellationToken cancellationToken) => Done();

    public Task DestroyBridgeAsync(string bridgeId, CancellationToken cancellationToken) => Done();

    public Task DialAsync(DialRequest request, CancellationToken cancellationToken)
    {
        Current.Post(new CallInput.LegRinging(request.LegChannelId));
        Current.Post(new CallInput.LegAnswered(request.LegChannelId));
        return Done();
    }

    public Task HangupAsync(string channelId, HangupReason reason, CancellationToken cancellationToken) => Done();

    public Task SetVariableAsync(string channelId, string name, string value, CancellationToken cancellationToken) => Done();

    public Task ContinueInDialplanAsync(string channelId, CancellationToken cancellationToken) => Done();

    private Task Done()
    {
        Commands++;
        return Task.CompletedTask;
    }
}
