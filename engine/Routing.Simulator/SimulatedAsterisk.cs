using System.Net;
using Routing.Simulator.Ami;
using Routing.Simulator.Ari;
using Routing.Simulator.Core;

namespace Routing.Simulator;

/// <summary>
/// A stand-in for Asterisk 23 that speaks ARI (REST + events websocket) and AMI on loopback, with a control API
/// to place scripted callers and shape agency trunks. Faithful to the recordings in tests/fixtures/asterisk-traces.
/// </summary>
public sealed class SimulatedAsterisk : IAsyncDisposable
{
    private readonly Pbx _pbx;
    private readonly AriServer _ari;
    private readonly AmiServer _ami;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SimulatedCallTaker> _callTakers = new(StringComparer.Ordinal);

    private SimulatedAsterisk(Pbx pbx, AriServer ari, AmiServer ami)
    {
        _pbx = pbx;
        _ari = ari;
        _ami = ami;
        foreach (var name in pbx.CallTakerNames) _callTakers[name] = new SimulatedCallTaker(pbx, name);
    }

    public static async Task<SimulatedAsterisk> StartAsync(SimulatorOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var ami = new AmiServer(options);
        var pbx = new Pbx(options, ami);
        ami.Pbx = pbx;
        ami.Start();
        try
        {
            var ari = await AriServer.StartAsync(pbx, options, ct);
            return new SimulatedAsterisk(pbx, ari, ami);
        }
        catch
        {
            await ami.DisposeAsync();
            pbx.Dispose();
            throw;
        }
    }

    /// <summary>http://127.0.0.1:&lt;port&gt;/ari/</summary>
    public Uri AriBaseUrl => _ari.BaseUrl;

    /// <summary>Delay before every ARI REST request over HTTP is handled (an Asterisk that lags); zero by default.</summary>
    public TimeSpan RestDelay
    {
        get => _ari.RestDelay;
        set => _ari.RestDelay = value;
    }

    public IPEndPoint AmiEndPoint => _ami.EndPoint;

    /// <summary>A caller dials; returns once the call entered the dialplan (in Stasis, or already falling back).</summary>
    public Task<SimulatedCall> PlaceCallAsync(CallScript script, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(_pbx.PlaceCall(script));
    }

    /// <summary>
    /// The next <paramref name="count"/> REST requests <paramref name="method"/> .../<paramref name="operation"/>
    /// (e.g. POST "continue") are neither performed nor answered until the client gives up: an Asterisk
    /// too busy to serve ARI in time. Logged in <see cref="Requests"/> with status 0.
    /// </summary>
    public void StallRequests(string method, string operation, int count = 1) => _ari.Stalls.Add(method, operation, count);

    /// <summary>Requests <see cref="StallRequests"/> holds now (status 0): received, neither performed nor answered yet.</summary>
    public IReadOnlyList<RecordedRequest> StalledRequests => _ari.Stalls.Held;

    /// <summary>Sets (or replaces) how the endpoint resource (e.g. "fire-almaty-1") behaves for the next dial.</summary>
    public void SetTrunk(string endpointResource, TrunkBehavior behavior)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(endpointResource);
        ArgumentNullException.ThrowIfNull(behavior);
        if (endpointResource.Contains('/')) throw new ArgumentException($"'{endpointResource}' must be an endpoint resource without technology/ prefix", nameof(endpointResource));
        if (behavior.After < TimeSpan.Zero) throw new ArgumentException("TrunkBehavior.After must not be negative", nameof(behavior));
        _pbx.SetTrunk(endpointResource, behavior);
    }

    /// <summary>The agency on an answered leg we originated sends BYE now (as <see cref="TrunkBehavior.HangUpAfterAnswer"/>
    /// does on a timer): for tests that must have the leg bridged first, whatever the box's load.</summary>
    /// <returns>False when no answered agency leg of that id is up.</returns>
    public bool AgencyHangsUp(string legChannelId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(legChannelId);
        return _pbx.AgencyHangsUp(legChannelId);
    }

    /// <summary>The call-takers' phones (<see cref="SimulatorOptions.CallTakers"/> and any added since), by endpoint resource.</summary>
    public IReadOnlyDictionary<string, SimulatedCallTaker> CallTakers => _callTakers;

    /// <summary>Adds a call-taker phone while running (e.g. from the admin endpoints of <c>make run</c>).</summary>
    /// <exception cref="ArgumentException">The name is not an endpoint resource, or an endpoint of that name exists.</exception>
    public SimulatedCallTaker AddCallTaker(string endpointResource, CallTakerBehavior behavior, bool registered = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(endpointResource);
        ArgumentNullException.ThrowIfNull(behavior);
        if (endpointResource.Contains('/') || endpointResource.Contains(','))
            throw new ArgumentException($"'{endpointResource}' must be an endpoint resource such as 'calltaker-3' (no technology/ prefix, no comma)", nameof(endpointResource));
        if (!_pbx.AddCallTaker(endpointResource, behavior, registered))
            throw new ArgumentException($"an endpoint named '{endpointResource}' already exists", nameof(endpointResource));
        return _callTakers.GetOrAdd(endpointResource, name => new SimulatedCallTaker(_pbx, name));
    }

    /// <summary>
    /// A MESSAGE from the endpoint <paramref name="endpointResource"/> (e.g. "appgw") into Asterisk, as SIPp sent it in
    /// turn2/ari-sip-message: the app gets TextMessageReceived only if it subscribed to that endpoint.
    /// <paramref name="from"/> is the SIP From as written (<c>"Name" &lt;sip:+7701…@gw&gt;</c>); <paramref name="headers"/>
    /// are extra SIP headers, which arrive as message variables.
    /// </summary>
    public TextDelivery SendTextMessage(string endpointResource, string from, string body, IReadOnlyDictionary<string, string>? headers = null, string to = "pjsip:112@127.0.0.1")
    {
        ArgumentNullException.ThrowIfNull(endpointResource);
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(body);
        return _pbx.ReceiveMessage(endpointResource, from, to, body, headers);
    }

    /// <summary>Every MESSAGE the simulated dialplan forwarded itself (stale engine heartbeat), oldest first.</summary>
    public IReadOnlyList<ForwardedTextMessage> DialplanForwardedTexts => _pbx.ForwardedTexts;

    /// <summary>Every MESSAGE the app asked Asterisk to send (ARI sendMessage), oldest first.</summary>
    public IReadOnlyList<SentTextMessage> SentMessages => _pbx.SentMessages;

    /// <summary>A global dialplan variable as set over ARI (<c>POST /asterisk/variable</c>); null when never set.</summary>
    public string? GlobalVariable(string name) => _pbx.Global(name);

    /// <summary>Every ARI request received (Method, Path, Query with the api_key password masked, Body, Status); websocket upgrades as 101.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _ari.Log.Snapshot();

    public IReadOnlyCollection<string> LiveChannelIds => _pbx.LiveChannelIds;

    /// <summary>The dialplan's global variables set over AMI Setvar without a channel (the engine's overload flag).</summary>
    public IReadOnlyDictionary<string, string> GlobalVariables => _pbx.Globals;

    /// <summary>Live channels in a Stasis app now.</summary>
    public IReadOnlyCollection<string> ChannelIdsInStasis => _pbx.ChannelIdsInStasis;

    public IReadOnlyCollection<string> LiveBridgeIds => _pbx.LiveBridgeIds;

    /// <summary>Every channel in a Stasis app, with the ARI bridge it is in (null when in none).</summary>
    public IReadOnlyDictionary<string, string?> ChannelsInStasis => _pbx.ChannelsInStasis;

    /// <summary>True while the channel's TIMEOUT(absolute) is armed (the dialplan's or the engine's dead man's switch).</summary>
    public bool IsAbsoluteTimeoutArmed(string channelId) => _pbx.IsAbsoluteTimeoutArmed(channelId);

    public int ConnectedEventSockets => _pbx.ConnectedEventSockets;

    /// <summary>AMI sessions logged in with events on: only they hear what the PBX does (Asterisk replays nothing to a late one).</summary>
    public int AmiEventListeners => _ami.EventListeners;

    /// <summary>The event types an app's filter keeps from it (PUT /applications/{app}/eventFilter); empty when none or no such app.</summary>
    public IReadOnlyCollection<string> EventsDisallowed(string app) => _pbx.EventsDisallowed(app);

    public SimulatorStats Stats => _pbx.Stats(_ami.EventsSent, _ari.Log.Total);

    /// <summary>The last exception a timer callback threw inside the simulator, if any (also counted in Stats.InternalErrors).</summary>
    public string? LastInternalError => _pbx.LastInternalError;

    /// <summary>
    /// Closes (1000) or aborts (TCP reset, no close frame) every event websocket. The apps become inactive at once,
    /// so events from this moment on are lost, as in ari-websocket-drop.md.
    /// </summary>
    public async Task DropWebSocketsAsync(bool abort)
    {
        var sockets = _pbx.DropSockets();
        foreach (var socket in sockets)
        {
            if (abort) socket.Abort();
            else socket.Close();
        }
        await Task.Yield();
    }

    /// <summary>Sends raw text (an unknown event, malformed JSON) to every connected event websocket, in order with real events.</summary>
    public Task InjectRawFrameAsync(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _pbx.InjectRaw(text);
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _pbx.Dispose();
        await _ari.DisposeAsync();
        await _ami.DisposeAsync();
    }
}
