using System.Collections.Concurrent;
using Routing.Asterisk.Ari;

namespace Routing.AriFloor;

/// <summary>
/// The bare flow, per caller that enters Stasis: originate the agency into the app, answer the caller
/// and create a mixing bridge (at once, in parallel), put both channels in the bridge when the agency
/// answers, and when either side leaves hang up the other and destroy the bridge. Six REST requests
/// per call, no ledger, no timers, no logging on the way: what any ARI application must at least do.
/// </summary>
public sealed class FloorCalls(IAriRestClient rest, string application, string agencyEndpoint, TextWriter errors)
{
    /// <summary>StasisStart argument that marks the channel we originated (the caller's carry the dialplan's).</summary>
    public const string AgencyArgument = "floor-agency";

    private const int ErrorsShown = 20;
    private readonly ConcurrentDictionary<string, FloorCall> _byChannel = new(StringComparer.Ordinal);
    private long _started, _bridged, _ended, _failed;

    public long Started => Interlocked.Read(ref _started);
    public long Bridged => Interlocked.Read(ref _bridged);
    public long Ended => Interlocked.Read(ref _ended);
    public long Failed => Interlocked.Read(ref _failed);
    public int Open => _byChannel.Count / 2;

    /// <summary>Called on the event reader for each message; starts the work and returns at once. The task it
    /// returns (never faulted: failures are counted) completes when that message's work is done.</summary>
    public Task Handle(AriMessage message) => message switch
    {
        StasisStart { Args: [AgencyArgument, ..] } agency => AgencyAnsweredAsync(agency.Channel.Id),
        StasisStart caller => CallerArrivedAsync(caller.Channel),
        StasisEnd end => GoneAsync(end.Channel.Id),
        ChannelDestroyed destroyed => GoneAsync(destroyed.Channel.Id), // an agency that never answered never enters Stasis
        _ => Task.CompletedTask,
    };

    private async Task CallerArrivedAsync(AriChannel caller)
    {
        var call = new FloorCall(caller.Id, caller.Id + "-agency", caller.Id + "-bridge");
        _byChannel[call.CallerId] = call;
        _byChannel[call.AgencyId] = call;
        Interlocked.Increment(ref _started);
        var number = caller.Caller?.Number;
        call.Setup = Task.WhenAll(
            rest.OriginateAsync(new AriOriginateRequest(agencyEndpoint, application, call.AgencyId)
            {
                AppArgs = [AgencyArgument],
                CallerId = string.IsNullOrEmpty(number) ? null : $"\"112 {number}\" <{number}>",
                Originator = caller.Id,
            }),
            rest.AnswerAsync(caller.Id),
            rest.CreateBridgeAsync(call.BridgeId, "mixing"));
        try
        {
            await call.Setup.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Fail("setting up " + call.CallerId, ex);
            await GoneAsync(call.CallerId).ConfigureAwait(false);
        }
    }

    private async Task AgencyAnsweredAsync(string agencyId)
    {
        if (!_byChannel.TryGetValue(agencyId, out var call)) return; // the caller left meanwhile
        try
        {
            await call.Setup.ConfigureAwait(false);
            await rest.AddChannelAsync(call.BridgeId, [call.CallerId, call.AgencyId]).ConfigureAwait(false);
            Interlocked.Increment(ref _bridged);
        }
        catch (Exception ex) when (!Gone(ex))
        {
            Fail("bridging " + call.CallerId, ex);
            await GoneAsync(agencyId).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // One side hung up while we bridged: its StasisEnd ends the call.
        }
    }

    private async Task GoneAsync(string channelId)
    {
        if (!_byChannel.TryGetValue(channelId, out var call) || Interlocked.Exchange(ref call.Ending, 1) == 1) return;
        _byChannel.TryRemove(call.CallerId, out _);
        _byChannel.TryRemove(call.AgencyId, out _);
        Interlocked.Increment(ref _ended);
        try
        {
            await call.Setup.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Already counted by the caller's set-up; whatever was created is cleaned up below.
        }
        var other = channelId == call.CallerId ? call.AgencyId : call.CallerId;
        await IgnoringGoneAsync(() => rest.HangupAsync(other), "hanging up " + other).ConfigureAwait(false);
        await IgnoringGoneAsync(() => rest.DestroyBridgeAsync(call.BridgeId), "destroying " + call.BridgeId).ConfigureAwait(false);
    }

    private async Task IgnoringGoneAsync(Func<Task> request, string what)
    {
        try
        {
            await request().ConfigureAwait(false);
        }
        catch (Exception ex) when (!Gone(ex))
        {
            Fail(what, ex);
        }
        catch (Exception)
        {
            // Asterisk had already let it go.
        }
    }

    private static bool Gone(Exception ex) => ex is AriException { IsNotFound: true } or AriException { IsNotInStasis: true };

    private void Fail(string what, Exception ex)
    {
        if (Interlocked.Increment(ref _failed) <= ErrorsShown)
            errors.WriteLine($"ari-floor: {what}: {ex.GetType().Name}: {ex.Message}");
    }

    private sealed class FloorCall(string callerId, string agencyId, string bridgeId)
    {
        public string CallerId { get; } = callerId;
        public string AgencyId { get; } = agencyId;
        public string BridgeId { get; } = bridgeId;
        public Task Setup { get; set; } = Task.CompletedTask;
        public int Ending;
    }
}
