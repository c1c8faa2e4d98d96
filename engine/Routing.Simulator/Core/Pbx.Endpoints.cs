using Routing.Simulator.Ari;

namespace Routing.Simulator.Core;

/// <summary>GET /endpoints: the caller endpoint and every configured trunk, all PJSIP and online.</summary>
internal sealed partial class Pbx
{
    public AriResponse Endpoints(string[] path)
    {
        lock (_gate)
        {
            var known = _trunks.Keys.Prepend("caller").Distinct().ToArray();
            switch (path)
            {
                case [] or ["PJSIP"]:
                    return AriResponse.Ok(AriJson.Write(w =>
                    {
                        w.WriteStartArray();
                        foreach (var r in known) Endpoint(w, r);
                        w.WriteEndArray();
                    }));
                case ["PJSIP", var resource] when known.Contains(resource):
                    return AriResponse.Ok(AriJson.Write(w => Endpoint(w, resource)));
                case [_] or [_, _]:
                    return AriResponse.Error(404, "Endpoint not found");
                default:
                    return AriResponse.ResourceNotFound;
            }
        }
    }

    private void Endpoint(System.Text.Json.Utf8JsonWriter w, string resource)
    {
        w.WriteStartObject();
        w.WriteString("technology", "PJSIP");
        w.WriteString("resource", resource);
        w.WriteString("state", "online");
        w.WriteStartArray("channel_ids");
        foreach (var c in _channels.Values)
            if (c.Resource == resource) w.WriteStringValue(c.Id);
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
