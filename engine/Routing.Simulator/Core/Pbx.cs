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
    private int _sequence;

    private long _callsPlaced, _callsEnded, _callsReachedStasis, _fallbackDials, _originates, _originatesRejected;
    private long _ariEventsSent, _ariEventsDropped, _socketsOverflowed, _internalErrors;
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
                amiEventsSent, restRequests, Interlocked.Read(ref _internalErrors));
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
        if (bridge is not null) Add(bridge.SubscribedApps);
        foreach (var app in _apps.Values)
            if (app.SubscribeAll) Add([app.Name]);
        if (targets is null) return;

        foreach (var name in targets)
        {
            if (!_apps.TryGetValue(name, out var app) || !app.Active)
            {
                _ariEventsDropped++; // "Inactive Stasis app '...' missed message": never queued, never replayed
                continue;
            }
            string frame = AriJson.ForApplication(eventJson, app.Name);
            foreach (var socket in app.Sockets)
            {
                if (socket.TryEnqueue(frame)) _ariEventsSent++;
                else Interlocked.Increment(ref _socketsOverflowed);
            }
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
