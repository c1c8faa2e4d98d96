using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Prometheus;
using Routing.Engine.Calls;
using Routing.Engine.Metrics;

namespace Routing.Engine.Admin;

/// <summary>The operator's HTTP surface: Prometheus scrape, health, and what calls are live.</summary>
internal static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMetrics("/metrics");
        endpoints.MapGet("/health", (CallRegistry registry, CallTally tally) => Results.Json(new
        {
            ariConnected = EngineMetrics.AriConnected.Value >= 1,
            activeCalls = registry.Count,
            endedCalls = tally.Total,
        }));
        endpoints.MapGet("/calls", (CallRegistry registry) => Results.Json(
            registry.Active.Select(call => new
            {
                callId = call.CallId,
                callerChannelId = call.CallerChannelId,
                state = call.Snapshot.State.ToString(),
                agency = call.Snapshot.Agency,
                region = call.Snapshot.Region,
            })));
        endpoints.MapCallbackEndpoints();
        return endpoints;
    }
}
