using Routing.Simulator.Ami;
using Routing.Simulator.Ari;
using Routing.Simulator.Media;
using Routing.Simulator.Model;

namespace Routing.Simulator.Core;

/// <summary>
/// The simulated PBX: channels, bridges, playbacks and Stasis apps.
/// One short lock guards all of it (no I/O is done under it: events go to per-socket queues), so every socket sees
/// events in one global order and multi-channel operations (bridging, dialling) need no lock ordering.
/// </summary>
internal sealed partial class Pbx : IDisposable
{
    private readonly object _gate = new();
    private readonly SimulatorOptions _options;
    private readonly TimeProvider _time;
    private readonly Scheduler _scheduler;
    private readonly MediaCatalog _media;
    private readonly IAmiSink _ami;
    private readonly Dictionary<string, SimChannel> _channels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimBridge> _bridges = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimPlayback> _playbacks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StasisApp> _apps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TrunkBehavior> _trunks;
    private readonly List<EventSocket> _sockets = new();
    private readonly Dictionary<string, SimDevice> _devices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<SimChannel>> _endpointChannels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _deviceStates = new(StringComparer.Ordinal);
    /// <summary>deviceState: subscriptions per app name; they live outside the app, as res_stasis_device_state's container.</summary>
    private readonly Dictionary<string, List<string>> _deviceSubscriptions = new(StringComparer.Ordinal);
    /// <summary>How many (app, endpoint) subscriptions exist, so the common case (none) costs nothing per event.</summary>
    private int _endpointSubscriptions;
    private int _sequence;

    private long _callsPlaced, _callsEnded, _callsReachedStasis, _fallbackDials, _originates, _originatesRejected;
    private long _ariEventsSent, _ariEventsDropped, _ariEventsFiltered, _ariVarsetsSent, _socketsOverflowed, _internalErrors;
    private string? _lastInternalError;

    public Pbx(SimulatorOptions options, IAmiSink ami)
    {
        _options = options;
        _time = options.Time;
        _ami = ami;
        _media = new MediaCatalog(options);
        _trunks = new Dictionary<string, TrunkBehavior>(options.Trunks, StringComparer.Ordinal);
        _scheduler = new Scheduler(_time, OnInternalError);
        StartedAt = _time.GetUtcNow();
        int port = 5081;
        foreach (var (resource, behavior) in options.CallTakers)
            _devices[resource] = NewDevice(resource, behavior, options.CallTakersRegisteredAtStart, port++);
    }

    public DateTimeOffset StartedAt { get; }
    public DateTimeOffset Now => _time.GetUtcNow();
    public SimulatorOptions Options => _options;
    public string? LastInternalError => Volatile.Read(ref _lastInternalError);

    public void SetTrunk(string resource, TrunkBehavior behavior)
    {
        lock (_gate) _trunks[resource] = behavior;
    }

    public IReadOnlyCollection<string> LiveChannelIds
    {
        get { lock (_gate) return _channels.Keys.ToArray(); }
    }

    /// <summary>Live channels in a Stasis app now (a caller nobody hands back would stay here).</summary>
    public IReadOnlyCollection<string> ChannelIdsInStasis
    {
        get { lock (_gate) return _channels.Values.Where(c => c.InStasis).Select(c => c.Id).ToArray(); }
    }

    public IReadOnlyCollection<string> LiveBridgeIds
    {
        get { lock (_gate) return _bridges.Keys.ToArray(); }
    }

    public int ConnectedEventSockets
    {
        get { lock (_gate) return _sockets.Count; }
    }

    public SimulatorStats Stats(long amiEventsSent, long restRequests)
    {
        lock (_gate)
        {
            return new SimulatorStats(_callsPlaced, _callsEnded, _callsReachedStasis, _fallbackDials, _originates, _originatesRejected,
                _channels.Count, _bridges.Count, _ariEventsSent, _ariEventsDropped, Interlocked.Read(ref _socketsOverflowed),
                amiEventsSent, restRequests, Interlocked.Read(ref _internalErrors), _ariEventsFiltered, _ariVarsetsSent);
        }
    }

    private void OnInternalError(Exception ex)
    {
        Interlocked.Increment(ref _internalErrors);
        Volatile.Write(ref _lastInternalError, ex.ToString());
    }

    private IDisposable Schedule(SimChannel channel, TimeSpan due, Action<SimChannel> action)
    {
        IDisposable? handle = null;
        handle = _scheduler.Schedule(due, () =>
        {
            lock (_gate)
            {
                channel.Timers.Remove(handle!);
                if (!channel.Gone) action(channel);
            }
        });
        channel.Timers.Add(handle);
        return handle;
    }

    /// <summary>Asterisk uniqueid "&lt;epoch seconds&gt;.&lt;sequence&gt;"; the same sequence numbers channel names (hex).</summary>
    private (string UniqueId, int Sequence) NextIds()
    {
        int seq = _sequence++;
        return ($"{Now.ToUnixTimeSeconds()}.{seq}", seq);
    }

    private SimChannel NewChannel(string resource, string? id, string language, string? linkedId = null)
    {
        var (uniqueId, seq) = NextIds();
        string channelId = id ?? uniqueId;
        var channel = new SimChannel
        {
            Id = channelId,
            Name = $"PJSIP/{resource}-{seq:x8}",
            Resource = resource,
            ProtocolId = resource == "caller" ? $"{seq + 1}-{27000 + seq}@127.0.0.1" : Guid.NewGuid().ToString(),
            Created = Now,
            Language = language,
            LinkedId = linkedId ?? channelId,
            Sequence = seq,
        };
        _channels[channelId] = channel;
        if (!_endpointChannels.TryGetValue(resource, out var onEndpoint)) _endpointChannels[resource] = onEndpoint = new List<SimChannel>(1);
        onEndpoint.Add(channel);
        return channel;
    }

    // ---- event fan-out (always called under _gate) ----

    private void Ari(string eventJson, SimChannel? channel = null, SimBridge? bridge = null, SimChannel? other = null)
    {
        // Small sets: a channel is watched by one or two apps.
        List<string>? targets = null;
        void Add(IEnumerable<string> apps)
        {
            foreach (var a in apps)
            {
                targets ??= new List<string>(2);
                if (!targets.Contains(a)) targets.Add(a);
            }
        }
        if (channel is not null) Add(channel.SubscribedApps);
        if (other is not null) Add(other.SubscribedApps);
        if (bridge is not null) Add(bridge.SubscribedApps.Keys);
        foreach (var app in _apps.Values)
            if (app.SubscribeAll) Add([app.Name]);

        // An app subscribed to endpoint:PJSIP/x gets every channel-topic message of x's channels once more through the
        // endpoint's forward (turn2/ari-warm-transfer-stale-endpoint-subscription: Dial, ChannelStateChange, ... twice).
        List<string>? viaEndpoint = null;
        if (_endpointSubscriptions > 0 && (channel is not null || other is not null) && AriEvents.IsChannelTopic(eventJson))
        {
            foreach (var app in _apps.Values)
            {
                if (channel is not null && app.EndpointInterest.ContainsKey(channel.EndpointId)) (viaEndpoint ??= new(1)).Add(app.Name);
                if (other is not null && app.EndpointInterest.ContainsKey(other.EndpointId)) (viaEndpoint ??= new(1)).Add(app.Name);
            }
        }
        if (targets is null && viaEndpoint is null) return;

        if (viaEndpoint is not null)
        {
            (targets ??= new List<string>(viaEndpoint.Count)).AddRange(viaEndpoint);
            targets.Sort(StringComparer.Ordinal); // an app's two copies go out back to back, as in the trace
        }
        foreach (var name in targets!)
            Send(name, AriJson.ForApplication(eventJson, name));
    }

    /// <summary>Queues one frame to an app's websocket; an inactive app's events are dropped (never queued or replayed).</summary>
    private void Send(string appName, string frame)
    {
        if (!_apps.TryGetValue(appName, out var app) || !app.Active)
        {
            _ariEventsDropped++; // "Inactive Stasis app '...' missed message": never queued, never replayed
            return;
        }
        if (app.Filters && !app.Wants(AriJson.TypeOf(frame)))
        {
            _ariEventsFiltered++; // app_send drops it before it is queued for the websocket (res/stasis/app.c)
            return;
        }
        foreach (var socket in app.Sockets)
        {
            if (socket.TryEnqueue(frame))
            {
                _ariEventsSent++;
                if (AriJson.TypeOf(frame).SequenceEqual("ChannelVarset")) _ariVarsetsSent++;
            }
            else Interlocked.Increment(ref _socketsOverflowed);
        }
    }

    private void Ami(string frame) => _ami.Publish(frame);

    public void Dispose()
    {
        _scheduler.Dispose();
    }
}

/// <summary>Where the PBX sends AMI event text (the AMI server's sessions).</summary>
internal interface IAmiSink
{
    void Publish(string frame);
}
