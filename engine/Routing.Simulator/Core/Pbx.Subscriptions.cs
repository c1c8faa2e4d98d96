using Routing.Simulator.Ari;
using Routing.Simulator.Model;

namespace Routing.Simulator.Core;

/// <summary>
/// POST/DELETE /applications/{app}/subscription?eventSource=a,b (resource_applications.c, res_stasis.c
/// app_handle_subscriptions): the sources are handled one after another and the first bad one stops the request,
/// leaving the ones before it done. Endpoint subscriptions are counted (each POST adds interest, each DELETE takes
/// one, so a twice-subscribed endpoint survives one DELETE: turn2/ari-warm-transfer-stale-endpoint-subscription);
/// deviceState subscriptions are a set. Both outlive the websocket; endpoint ones keep the app from being destroyed.
/// </summary>
internal sealed partial class Pbx
{
    private const string AllEndpoints = "__AST_ENDPOINT_ALL_TOPIC";

    public AriResponse Subscribe(string appName, string? eventSource) => Subscription(appName, eventSource, subscribe: true);

    public AriResponse Unsubscribe(string appName, string? eventSource) => Subscription(appName, eventSource, subscribe: false);

    private AriResponse Subscription(string appName, string? eventSource, bool subscribe)
    {
        var sources = (eventSource ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (sources.Length == 0) return AriResponse.Error(400, "Missing parameter eventSource");
        lock (_gate)
        {
            if (!_apps.TryGetValue(appName, out var app)) return AriResponse.Error(404, "Application not found");
            foreach (var uri in sources)
            {
                var error = subscribe ? SubscribeOne(app, uri) : UnsubscribeOne(app, uri);
                if (error is not null) return error;
            }
            return AriResponse.Ok(AriJson.Write(w => AriJson.Application(w, app, DeviceNamesOf(app.Name))));
        }
    }

    private AriResponse? SubscribeOne(StasisApp app, string uri)
    {
        switch (Scheme(uri))
        {
            case ("endpoint:", var id):
                if (id == "PJSIP") return AriResponse.Error(501, "Subscribing to a whole technology (endpoint:PJSIP) is not simulated");
                string key = id.Length == 0 ? AllEndpoints : id;
                if (id.Length > 0 && !(id.StartsWith("PJSIP/", StringComparison.Ordinal) && IsEndpoint(id["PJSIP/".Length..])))
                    return AriResponse.Error(422, "Event source does not exist");
                if (id.Length > 0 && app.EndpointInterest.ContainsKey(AllEndpoints)) return null; // "If subscribed to all, don't subscribe again"
                if (!app.EndpointInterest.TryGetValue(key, out int interest)) _endpointSubscriptions++;
                app.EndpointInterest[key] = interest + 1;
                return null;
            case ("deviceState:", _) when !_options.DeviceStateEventSource:
                return AriResponse.Error(400, "Invalid event source URI scheme"); // the scheme is registered by res_stasis_device_state
            case ("deviceState:", var name):
                // res_stasis_device_state accepts any device name, existing or not; subscribing twice is a no-op.
                string device = name.Length == 0 ? AllDevices : name;
                if (!_deviceSubscriptions.TryGetValue(app.Name, out var names)) _deviceSubscriptions[app.Name] = names = new List<string>();
                if (!names.Contains(device) && !names.Contains(AllDevices)) names.Add(device);
                return null;
            case ("channel:", var channelId):
                if (channelId.Length == 0) return AriResponse.Error(501, "Subscribing to all channels (channel:) is not simulated; use subscribeAll");
                if (!_channels.TryGetValue(channelId, out var channel)) return AriResponse.Error(422, "Event source does not exist");
                Subscribe(app.Name, channel);
                return null;
            case ("bridge:", var bridgeId):
                if (bridgeId.Length == 0) return AriResponse.Error(501, "Subscribing to all bridges (bridge:) is not simulated; use subscribeAll");
                if (!_bridges.TryGetValue(bridgeId, out var bridge)) return AriResponse.Error(422, "Event source does not exist");
                Subscribe(app.Name, bridge);
                return null;
            default:
                return AriResponse.Error(400, "Invalid event source URI scheme");
        }
    }

    private AriResponse? UnsubscribeOne(StasisApp app, string uri)
    {
        var notSubscribed = AriResponse.Error(422, "Event source was not subscribed to");
        switch (Scheme(uri))
        {
            case ("endpoint:", var id):
                string key = id.Length == 0 ? AllEndpoints : id;
                if (!app.EndpointInterest.TryGetValue(key, out int interest)) return notSubscribed;
                if (interest > 1) app.EndpointInterest[key] = interest - 1;
                else
                {
                    app.EndpointInterest.Remove(key);
                    _endpointSubscriptions--;
                }
                return null;
            case ("deviceState:", _) when !_options.DeviceStateEventSource:
                return AriResponse.Error(400, "Invalid event source URI scheme");
            case ("deviceState:", var name):
                string device = name.Length == 0 ? AllDevices : name;
                if (!_deviceSubscriptions.TryGetValue(app.Name, out var names)) return notSubscribed;
                if (!names.Contains(AllDevices) && !names.Contains(device)) return notSubscribed;
                names.Remove(device);
                return null;
            case ("channel:", var channelId):
                if (!_channels.TryGetValue(channelId, out var channel) || !channel.SubscribedApps.Contains(app.Name)) return notSubscribed;
                Unsubscribe(app.Name, channel);
                return null;
            case ("bridge:", var bridgeId):
                if (!_bridges.TryGetValue(bridgeId, out var bridge) || !bridge.SubscribedApps.ContainsKey(app.Name)) return notSubscribed;
                bridge.SubscribedApps.Remove(app.Name);
                app.BridgeIds.Remove(bridge.Id);
                return null;
            default:
                return AriResponse.Error(400, "Invalid event source URI scheme");
        }
    }

    /// <summary>Asterisk matches the scheme with ast_begins_with, so it is case-sensitive ("Endpoint:" is a bad scheme).</summary>
    private static (string Scheme, string Id) Scheme(string uri)
    {
        foreach (var scheme in (string[])["channel:", "bridge:", "endpoint:", "deviceState:"])
            if (uri.StartsWith(scheme, StringComparison.Ordinal)) return (scheme, uri[scheme.Length..]);
        return ("", uri);
    }

    private IReadOnlyList<string> DeviceNamesOf(string app) =>
        _deviceSubscriptions.TryGetValue(app, out var names) ? names.ToArray() : [];
}
