using Routing.Calls.Text;

namespace Routing.Engine.Simulation;

/// <summary>The PJSIP endpoints of the simulated Asterisk that carry text: every Text gateway and every agency text desk
/// the engine subscribes to, as pjsip.conf defines them for a real Asterisk.</summary>
internal static class SimulatedTextEndpoints
{
    public static HashSet<string> For(TextOptions text)
    {
        var endpoints = new HashSet<string>(StringComparer.Ordinal);
        if (!text.Enabled) return endpoints;
        foreach (var gateway in text.Gateways.Values)
            if (Resource(gateway?.Endpoint) is { } resource) endpoints.Add(resource);
        foreach (var desk in text.Agencies.Values)
            if (Resource(Text.TextService.AgencyEndpoint(desk?.To)) is { } resource) endpoints.Add(resource);
        return endpoints;
    }

    private static string? Resource(string? endpoint) =>
        endpoint is not null && endpoint.StartsWith("PJSIP/", StringComparison.Ordinal) && endpoint.Length > "PJSIP/".Length ? endpoint["PJSIP/".Length..] : null;
}
