using Routing.Simulator.Ari;
using Routing.Simulator.Model;

namespace Routing.Simulator.Core;

/// <summary>Stasis app lifecycle and event sockets, as ari-websocket-drop.md describes.</summary>
internal sealed partial class Pbx
{
    /// <summary>"Creating Stasis app" / "Activating Stasis app": the socket starts receiving live events; nothing is replayed.</summary>
    public void AttachSocket(EventSocket socket)
    {
        lock (_gate)
        {
            _sockets.Add(socket);
            foreach (var name in socket.Apps)
            {
                if (!_apps.TryGetValue(name, out var app))
                    _apps[name] = app = new StasisApp { Name = name };
                // "An application may only be subscribed to by a single WebSocket at a time ... the newer WebSocket
                // wins, and the older one receives ApplicationReplaced" (events.json). The old socket stays open.
                foreach (var old in app.Sockets)
                    old.TryEnqueue(AriJson.ForApplication(AriJson.Event("ApplicationReplaced", Now, null, null), name));
                app.Sockets.Clear();
                app.Sockets.Add(socket);
                if (socket.SubscribeAll) app.SubscribeAll = true;
            }
            // Registering runs Asterisk's cleanup() over every app (res_stasis.c __stasis_app_register): one left
            // inactive and holding nothing (its forwards dropped after its websocket had gone) is destroyed now.
            CleanUpApps();
        }
    }

    /// <summary>"Deactivating Stasis app": channels stay in Stasis; an app holding nothing is destroyed.</summary>
    public void DetachSocket(EventSocket socket)
    {
        lock (_gate)
        {
            if (socket.Detached) return;
            socket.Detached = true;
            _sockets.Remove(socket);
            foreach (var name in socket.Apps)
            {
                if (!_apps.TryGetValue(name, out var app)) continue;
                app.Sockets.Remove(socket);
                if (!app.Active) app.SubscribeAll = false;
            }
            // stasis_app_unregister: then cleanup() over every app.
            CleanUpApps();
        }
    }

    /// <summary>Detaches every socket at once (so events from now on are lost), then closes or aborts them.</summary>
    public IReadOnlyList<EventSocket> DropSockets()
    {
        lock (_gate)
        {
            var all = _sockets.ToArray();
            foreach (var socket in all) DetachSocket(socket);
            return all;
        }
    }

    /// <summary>Raw text to every event socket, under the lock so it is ordered with real events.</summary>
    public void InjectRaw(string text)
    {
        lock (_gate)
            foreach (var socket in _sockets)
                if (!socket.TryEnqueue(text)) Interlocked.Increment(ref _socketsOverflowed);
    }

    public IReadOnlyList<EventSocket> Sockets()
    {
        lock (_gate) return _sockets.ToArray();
    }

    private void DestroyAppIfUnused(StasisApp app)
    {
        if (!app.Active && app.HoldsNothing) _apps.Remove(app.Name);
    }

    /// <summary>res_stasis.c cleanup(): every app with no websocket and no forwards goes. An unsubscribe does not run it
    /// (app_unsubscribe): an app whose last endpoint subscription is dropped after its websocket closed stays listed
    /// until the next cleanup (an app registering or unregistering, a channel leaving Stasis).</summary>
    private void CleanUpApps()
    {
        foreach (var app in _apps.Values.Where(a => !a.Active && a.HoldsNothing).ToList()) _apps.Remove(app.Name);
    }

    private bool IsActive(string app) => _apps.TryGetValue(app, out var a) && a.Active;

    private void Subscribe(string app, SimChannel channel)
    {
        channel.SubscribedApps.Add(app);
        if (_apps.TryGetValue(app, out var a)) a.ChannelIds.Add(channel.Id);
    }

    private void Unsubscribe(string app, SimChannel channel)
    {
        channel.SubscribedApps.Remove(app);
        if (_apps.TryGetValue(app, out var a))
        {
            a.ChannelIds.Remove(channel.Id);
            DestroyAppIfUnused(a);
        }
    }

    private void UnsubscribeAll(SimChannel channel)
    {
        foreach (var app in channel.SubscribedApps.ToArray()) Unsubscribe(app, channel);
    }

    private void Subscribe(string app, SimBridge bridge)
    {
        bridge.SubscribedApps[app] = bridge.SubscribedApps.GetValueOrDefault(app) + 1;
        if (_apps.TryGetValue(app, out var a)) a.BridgeIds.Add(bridge.Id);
    }

    /// <summary>A channel left the bridge alive: its app's interest in the bridge goes with it.</summary>
    private void DropInterest(string app, SimBridge bridge)
    {
        if (!bridge.SubscribedApps.TryGetValue(app, out int interest)) return;
        if (interest > 1)
        {
            bridge.SubscribedApps[app] = interest - 1;
            return;
        }
        bridge.SubscribedApps.Remove(app);
        if (_apps.TryGetValue(app, out var a))
        {
            a.BridgeIds.Remove(bridge.Id);
            DestroyAppIfUnused(a);
        }
    }

    private void UnsubscribeAll(SimBridge bridge)
    {
        foreach (var name in bridge.SubscribedApps.Keys)
        {
            if (!_apps.TryGetValue(name, out var a)) continue;
            a.BridgeIds.Remove(bridge.Id);
            DestroyAppIfUnused(a);
        }
        bridge.SubscribedApps.Clear();
    }

    /// <summary>POST /events/user/{eventName}?application=: res_stasis.c stasis_app_user_event publishes a
    /// ChannelUserevent to the app's own topic, so it reaches the socket after every event the app was sent before
    /// (the engine uses that order as a barrier). No "application" is 400, an unknown app 404 (resource_events.c).</summary>
    public AriResponse UserEvent(string eventName, string? application)
    {
        if (string.IsNullOrEmpty(application)) return AriResponse.Error(400, "Missing parameter application");
        lock (_gate)
        {
            if (!_apps.TryGetValue(application, out var app)) return AriResponse.Error(404, "Application not found");
            var json = AriJson.ForApplication(AriEvents.UserEvent(Now, eventName), application);
            foreach (var socket in app.Sockets)
                if (!socket.TryEnqueue(json)) Interlocked.Increment(ref _socketsOverflowed);
            return AriResponse.NoContent;
        }
    }

    public AriResponse GetApplications()
    {
        lock (_gate)
            return AriResponse.Ok(AriJson.Write(w =>
            {
                w.WriteStartArray();
                foreach (var app in _apps.Values) AriJson.Application(w, app, DeviceNamesOf(app.Name));
                w.WriteEndArray();
            }));
    }

    public AriResponse GetApplication(string name)
    {
        lock (_gate)
        {
            if (!_apps.TryGetValue(name, out var app)) return AriResponse.Error(404, "Application not found");
            return AriResponse.Ok(AriJson.Write(w => AriJson.Application(w, app, DeviceNamesOf(app.Name))));
        }
    }

    public IReadOnlyCollection<string> EventsDisallowed(string name)
    {
        lock (_gate) return _apps.TryGetValue(name, out var app) ? app.EventsDisallowed.ToArray() : [];
    }

    /// <summary>PUT /applications/{app}/eventFilter: 404 for an app Asterisk does not know; a null list is left as it is.</summary>
    public AriResponse SetEventFilter(string name, List<string>? allowed, List<string>? disallowed)
    {
        lock (_gate)
        {
            if (!_apps.TryGetValue(name, out var app)) return AriResponse.Error(404, "Application not found");
            if (allowed is not null) { app.EventsAllowed.Clear(); app.EventsAllowed.UnionWith(allowed); }
            if (disallowed is not null) { app.EventsDisallowed.Clear(); app.EventsDisallowed.UnionWith(disallowed); }
            return AriResponse.Ok(AriJson.Write(w => AriJson.Application(w, app, DeviceNamesOf(app.Name))));
        }
    }
}
