using Routing.Simulator.Ari;
using Routing.Simulator.Model;

namespace Routing.Simulator.Core;

/// <summary>
/// GET /endpoints: the caller endpoint, every configured trunk (static contacts: always online) and every call-taker
/// phone (online only while its contact is registered and reachable; offline before any REGISTER, as the trace).
/// </summary>
internal sealed partial class Pbx
{
    public AriResponse Endpoints(string[] path)
    {
        lock (_gate)
        {
            switch (path)
            {
                case [] or ["PJSIP"]:
                    return AriResponse.Ok(AriJson.Write(w =>
                    {
                        w.WriteStartArray();
                        foreach (var r in KnownEndpoints()) AriJson.Endpoint(w, View(r));
                        w.WriteEndArray();
                    }));
                case ["PJSIP", var resource] when IsEndpoint(resource):
                    return AriResponse.Ok(AriJson.Write(w => AriJson.Endpoint(w, View(resource))));
                case [_] or [_, _]:
                    return AriResponse.Error(404, "Endpoint not found");
                default:
                    return AriResponse.ResourceNotFound;
            }
        }
    }

    private IEnumerable<string> KnownEndpoints() => _trunks.Keys.Prepend("caller").Concat(_devices.Keys).Concat(_options.TextEndpoints).Distinct();

    private bool IsEndpoint(string resource) => resource == "caller" || _trunks.ContainsKey(resource) || _devices.ContainsKey(resource) || _options.TextEndpoints.Contains(resource);

    private EndpointView View(string resource) => new(
        resource,
        _devices.TryGetValue(resource, out var device) && !device.Online ? "offline" : "online",
        _endpointChannels.TryGetValue(resource, out var channels) ? channels.Select(c => c.Id).ToArray() : []);

    /// <summary>A channel was created on, or left, the endpoint: its channel_ids changed (EndpointStateChange to endpoint subscribers).</summary>
    private void EndpointChannelsChanged(string resource)
    {
        if (_endpointSubscriptions == 0) return;
        string? json = null;
        foreach (var app in _apps.Values)
        {
            if (!app.EndpointInterest.ContainsKey("PJSIP/" + resource)) continue;
            json ??= AriEvents.EndpointStateChange(Now, View(resource));
            Send(app.Name, AriJson.ForApplication(json, app.Name));
        }
    }

    /// <summary>To apps that subscribed to this endpoint by name, to all endpoints ("endpoint:"), or subscribeAll.</summary>
    private void ToEndpointWatchers(string resource, string json, bool includeAllTopic)
    {
        string id = "PJSIP/" + resource;
        foreach (var app in _apps.Values)
        {
            bool wants = app.EndpointInterest.ContainsKey(id)
                || (includeAllTopic && (app.SubscribeAll || app.EndpointInterest.ContainsKey(AllEndpoints)));
            if (wants) Send(app.Name, AriJson.ForApplication(json, app.Name));
        }
    }
}
