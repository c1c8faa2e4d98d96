using Routing.Simulator.Ari;
using Routing.Simulator.Model;

namespace Routing.Simulator.Core;

/// <summary>
/// Call-takers' phones: registration, reachability and device state, published as turn2/ari-agents-registration shows:
/// per change EndpointStateChange (endpoint subscribers only), PeerStatusChange, ContactStatusChange and
/// DeviceStateChanged (device subscribers). Asterisk sends the four within a millisecond in no fixed order; the simulator
/// always uses the order of the trace's re-registration.
/// </summary>
internal sealed partial class Pbx
{
    private const string AllDevices = "__AST_DEVICE_STATE_ALL_TOPIC";

    private static SimDevice NewDevice(string resource, CallTakerBehavior behavior, bool registered, int port) => new()
    {
        Resource = resource,
        Behavior = behavior,
        EndpointCallerId = SimDevice.DefaultCallerId(resource),
        ContactUri = $"sip:{resource}@127.0.0.1:{port}",
        Registered = registered,
    };

    public IReadOnlyList<string> CallTakerNames
    {
        get { lock (_gate) return _devices.Keys.ToArray(); }
    }

    /// <summary>Adds a phone while running (the admin simulator endpoints); false if the endpoint name is taken.</summary>
    public bool AddCallTaker(string resource, CallTakerBehavior behavior, bool registered)
    {
        lock (_gate)
        {
            if (IsEndpoint(resource)) return false;
            _devices[resource] = NewDevice(resource, behavior, registered: false, 5081 + _devices.Count);
            if (registered) RegisterCallTaker(resource);
            return true;
        }
    }

    public CallTakerBehavior CallTakerBehaviorOf(string resource)
    {
        lock (_gate) return Device(resource).Behavior;
    }

    public void SetCallTakerBehavior(string resource, CallTakerBehavior behavior)
    {
        lock (_gate) Device(resource).Behavior = behavior;
    }

    public bool CallTakerOnline(string resource)
    {
        lock (_gate) return Device(resource).Online;
    }

    public IReadOnlyList<string> EndpointChannelIds(string resource)
    {
        lock (_gate) return _endpointChannels.TryGetValue(resource, out var list) ? list.Select(c => c.Id).ToArray() : [];
    }

    public void RegisterCallTaker(string resource)
    {
        lock (_gate)
        {
            var device = Device(resource);
            if (device.Online) return; // a refresh: no state change, no event
            bool wasUnreachable = device.Registered;
            device.Registered = true;
            device.Reachable = true;
            // Qualify is off in the trace's pjsip.conf, so a fresh contact is NonQualified; one that answers qualify again is Reachable.
            PublishRegistration(device, wasUnreachable ? "Reachable" : "NonQualified", "Reachable");
        }
    }

    public void UnregisterCallTaker(string resource)
    {
        lock (_gate)
        {
            var device = Device(resource);
            if (!device.Registered) return;
            bool wasOnline = device.Online;
            device.Registered = false;
            device.Reachable = true;
            PublishRegistration(device, "Removed", "Unreachable", endpointChanged: wasOnline);
        }
    }

    public void CallTakerUnreachable(string resource)
    {
        lock (_gate)
        {
            var device = Device(resource);
            if (!device.Online) return;
            device.Reachable = false;
            PublishRegistration(device, "Unreachable", "Unreachable");
        }
    }

    /// <summary>BYE on every answered call of the phone; a ringing offer is rejected with 486 Busy Here.</summary>
    public void CallTakerHangsUp(string resource)
    {
        lock (_gate)
        {
            Device(resource);
            if (!_endpointChannels.TryGetValue(resource, out var channels)) return;
            foreach (var c in channels.ToArray())
            {
                if (c.Gone || c.HangupRequested || c.Leg is not { } leg) continue;
                if (leg.Answered) AgencyHangsUp(c);
                else if (leg.Dialled) LegFails(c, HangupCauses.UserBusy, 486, "BUSY");
            }
        }
    }

    /// <summary>The phone's own hold key: a re-INVITE sendonly makes Asterisk queue a hold with the endpoint's moh_suggest ("default").</summary>
    public void CallTakerHold(string resource, bool hold)
    {
        lock (_gate)
        {
            Device(resource);
            if (!_endpointChannels.TryGetValue(resource, out var channels)) return;
            foreach (var c in channels)
            {
                if (c.Gone || c.State != ChannelState.Up) continue;
                Ari(hold ? AriEvents.ChannelHold(Now, c, "default") : AriEvents.ChannelUnhold(Now, c), c);
                foreach (var peer in c.Bridge?.Channels ?? [])
                    if (peer != c && peer.Call is { } call)
                    {
                        if (hold) call.HeardMusicOnHold = true;
                        call.Note(Now, hold ? $"put on hold by {resource}" : $"resumed by {resource}");
                    }
            }
        }
    }

    private SimDevice Device(string resource) =>
        _devices.TryGetValue(resource, out var d) ? d : throw new ArgumentException($"'{resource}' is not a call-taker endpoint of this simulator", nameof(resource));

    private void PublishRegistration(SimDevice device, string contactStatus, string peerStatus, bool endpointChanged = true)
    {
        var view = View(device.Resource);
        if (endpointChanged) ToEndpointWatchers(device.Resource, AriEvents.EndpointStateChange(Now, view), includeAllTopic: false);
        ToEndpointWatchers(device.Resource, AriEvents.PeerStatusChange(Now, view, peerStatus), includeAllTopic: true);
        ToEndpointWatchers(device.Resource, AriEvents.ContactStatusChange(Now, view, device.ContactUri, contactStatus), includeAllTopic: true);
        DeviceStateMayHaveChanged(device.Resource);
    }

    /// <summary>
    /// Recomputes PJSIP/&lt;resource&gt;'s device state (chan_pjsip: unregistered/unreachable → UNAVAILABLE; else from its
    /// channels: Ringing → RINGING, on hold → ONHOLD, Ring/Up → INUSE, none → NOT_INUSE) and publishes a change to apps
    /// subscribed to that device, to all devices, or subscribeAll (trace: ami-warm-transfer's DeviceStateChange sequence).
    /// </summary>
    private void DeviceStateMayHaveChanged(string resource)
    {
        string state = DeviceState(resource);
        if (_deviceStates.TryGetValue(resource, out var last) && last == state) return;
        bool first = last is null;
        _deviceStates[resource] = state;
        if (first && state == "NOT_INUSE" && !_devices.ContainsKey(resource)) return; // a trunk's initial state is not a change
        if (!_options.DeviceStateEventSource) return; // DeviceStateChanged reaches apps only through res_stasis_device_state
        string device = "PJSIP/" + resource;
        foreach (var app in _apps.Values)
        {
            bool wants = app.SubscribeAll
                || (_deviceSubscriptions.TryGetValue(app.Name, out var names) && (names.Contains(device) || names.Contains(AllDevices)));
            if (wants) Send(app.Name, AriEvents.DeviceStateChanged(Now, app.Name, device, state));
        }
    }

    private string DeviceState(string resource)
    {
        if (_devices.TryGetValue(resource, out var device) && !device.Online) return "UNAVAILABLE";
        if (!_endpointChannels.TryGetValue(resource, out var channels) || channels.Count == 0) return "NOT_INUSE";
        bool ringing = false, inUse = false, held = false;
        foreach (var c in channels)
        {
            if (c.OnHold) held = true;
            else if (c.State == ChannelState.Ringing) ringing = true;
            else if (c.State is ChannelState.Ring or ChannelState.Up) inUse = true;
        }
        return ringing ? (inUse ? "RINGINUSE" : "RINGING") : held && !inUse ? "ONHOLD" : inUse ? "INUSE" : "NOT_INUSE";
    }

    /// <summary>The endpoint's own channel events before the originate's app subscribes (stale-subscription trace):
    /// only an app subscribed to the endpoint sees ChannelCreated → ChannelDialplan → ChannelCallerId → ChannelConnectedLine.</summary>
    private void ToEndpointForwardsOnly(string json, SimChannel channel)
    {
        if (_endpointSubscriptions == 0) return;
        foreach (var app in _apps.Values)
            if (app.EndpointInterest.ContainsKey(channel.EndpointId)) Send(app.Name, AriJson.ForApplication(json, app.Name));
    }
}
