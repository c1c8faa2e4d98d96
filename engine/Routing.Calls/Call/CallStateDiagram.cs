using Routing.Calls.Ports;
using Routing.Calls.Routing;

namespace Routing.Calls;

/// <summary>The call's state diagram in Graphviz dot, generated from the machine's own
/// configuration (Stateless <c>UmlDotGraph</c>), so the picture cannot drift from the code.</summary>
public static class CallStateDiagram
{
    public static string ToDot()
    {
        var options = new RoutingOptions();
        var arrival = new CallArrival("diagram", "", "", "", [], "", DateTimeOffset.UnixEpoch);
        // The call is only configured, never started: none of these ports is ever used. It is drawn
        // with a call-taker centre, as the shipped configuration runs it (OperatorQueue waits in the
        // centre's queue; WithCallTaker exists only then).
        var call = new Call(arrival, new CallDependencies(NotConnected.Instance, NotConnected.Instance, NotConnected.Instance, options, TimeProvider.System, Centre: NotConnected.Instance));
        return call.ToDotGraph();
    }

    private sealed class NotConnected : ITelephony, ICallJournal, ICallObserver, ICallCentre
    {
        public static readonly NotConnected Instance = new();

        private static InvalidOperationException Unused() => new("the diagram's call is never started");

        public Task AnswerAsync(string channelId, CancellationToken cancellationToken) => throw Unused();
        public Task PlayAsync(string channelId, string playbackId, string media, CancellationToken cancellationToken) => throw Unused();
        public Task StopPlaybackAsync(string playbackId, CancellationToken cancellationToken) => throw Unused();
        public Task StartMusicOnHoldAsync(string channelId, CancellationToken cancellationToken) => throw Unused();
        public Task StopMusicOnHoldAsync(string channelId, CancellationToken cancellationToken) => throw Unused();
        public Task CreateBridgeAsync(string bridgeId, Video.BridgeVideo video, CancellationToken cancellationToken) => throw Unused();
        public Task SetVideoSourceAsync(string bridgeId, string channelId, CancellationToken cancellationToken) => throw Unused();
        public Task AddToBridgeAsync(string bridgeId, IReadOnlyList<string> channelIds, CancellationToken cancellationToken) => throw Unused();
        public Task RemoveFromBridgeAsync(string bridgeId, IReadOnlyList<string> channelIds, CancellationToken cancellationToken) => throw Unused();
        public Task DestroyBridgeAsync(string bridgeId, CancellationToken cancellationToken) => throw Unused();
        public Task DialAsync(DialRequest request, CancellationToken cancellationToken) => throw Unused();
        public Task HangupAsync(string channelId, HangupReason reason, CancellationToken cancellationToken) => throw Unused();
        public Task SetVariableAsync(string channelId, string name, string value, CancellationToken cancellationToken) => throw Unused();
        public Task ContinueInDialplanAsync(string channelId, CancellationToken cancellationToken) => throw Unused();
        public ValueTask CallArrivedAsync(CallRecord call, CancellationToken cancellationToken) => throw Unused();
        public ValueTask LegPlannedAsync(LegRecord leg, CancellationToken cancellationToken) => throw Unused();
        public ValueTask AppendAsync(CallEventRecord callEvent, CancellationToken cancellationToken) => throw Unused();
        public void StateChanged(CallState from, CallState to) => throw Unused();
        public void AgencyAnswered(string agency, string trunk, TimeSpan sinceArrival) => throw Unused();
        public void LegFailed(string agency, string trunk, string reason) => throw Unused();
        public void CallEnded(string agency, CallOutcome outcome, TimeSpan duration) => throw Unused();
        public void ExpectedRaceLost(string command) => throw Unused();

        public void CallTakerClassified(string? agency, ClassificationKind kind) => throw Unused();
        public Centre.EntryMode ModeFor(CallEntry entry) => throw Unused();
        public void Enqueue(CentreCall call) => throw Unused();
        public void Requeue(string callId, string position) => throw Unused();
        public void CallTakerDeviceLeft(string callId, string position, TimeSpan? withCaller) => throw Unused();
        public void CallTakerLeft(string callId, string position) => throw Unused();
        public void CallEnded(string callId) => throw Unused();
    }
}
