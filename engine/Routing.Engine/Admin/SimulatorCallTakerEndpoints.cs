using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Routing.Simulator;

namespace Routing.Engine.Admin;

/// <summary>
/// In simulated mode, lets a person play the call-takers' phones while `make run` is going, e.g.
/// <c>curl -XPUT 127.0.0.1:9112/simulator/calltakers/calltaker-1 -d '{"behavior":"answer","afterMs":2000,"state":"registered"}'</c>,
/// <c>curl -XPOST 127.0.0.1:9112/simulator/calltakers/calltaker-1/hangup</c>.
/// </summary>
internal static class SimulatorCallTakerEndpoints
{
    public static IEndpointRouteBuilder MapSimulatorCallTakerEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/simulator/calltakers", (SimulatedAsterisk asterisk) =>
            Results.Json(asterisk.CallTakers.Values.OrderBy(p => p.Endpoint, StringComparer.Ordinal)
                .Select(p => new { endpoint = p.Endpoint, online = p.IsOnline, behavior = p.Behavior.Description, channelIds = p.ChannelIds })));
        endpoints.MapPut("/simulator/calltakers/{endpoint}", (string endpoint, SimulatedCallTakerRequest request, SimulatedAsterisk asterisk) =>
        {
            if (request.Validate() is { } problem) return Results.BadRequest(new { message = problem });
            var behavior = request.ToBehavior();
            bool created = false;
            if (!asterisk.CallTakers.TryGetValue(endpoint, out var phone))
            {
                try
                {
                    phone = asterisk.AddCallTaker(endpoint, behavior ?? CallTakerBehavior.AnswersAfter(TimeSpan.FromSeconds(2)), registered: false);
                    created = true;
                }
                catch (ArgumentException ex)
                {
                    return Results.BadRequest(new { message = ex.Message });
                }
            }
            else if (behavior is not null)
            {
                phone.Behavior = behavior;
            }
            switch (request.State?.ToLowerInvariant())
            {
                case "registered": phone.Register(); break;
                case "unregistered": phone.Unregister(); break;
                case "unreachable": phone.GoUnreachable(); break;
                case null or "" when created: phone.Register(); break;
            }
            return created ? Results.Created($"/simulator/calltakers/{endpoint}", new { endpoint }) : Results.NoContent();
        });
        endpoints.MapPost("/simulator/calltakers/{endpoint}/hangup", (string endpoint, SimulatedAsterisk asterisk) =>
        {
            if (!asterisk.CallTakers.TryGetValue(endpoint, out var phone))
                return Results.NotFound(new { message = $"no call-taker phone '{endpoint}' in the simulator" });
            phone.HangUp();
            return Results.NoContent();
        });
        return endpoints;
    }
}

/// <param name="Behavior">answer, ignore or busy (omit to keep the current one).</param>
/// <param name="State">registered, unregistered or unreachable (omit to keep it; a new phone registers).</param>
internal sealed record SimulatedCallTakerRequest(string? Behavior = null, int AfterMs = 2000, double? HangUpAfterSeconds = null, string? State = null)
{
    public string? Validate()
    {
        if (Behavior is not null && Behavior.ToLowerInvariant() is not ("answer" or "ignore" or "busy"))
            return string.Create(CultureInfo.InvariantCulture, $"behavior must be answer, ignore or busy (got '{Behavior}')");
        if (State is not null && State.ToLowerInvariant() is not ("registered" or "unregistered" or "unreachable"))
            return string.Create(CultureInfo.InvariantCulture, $"state must be registered, unregistered or unreachable (got '{State}')");
        if (AfterMs is < 0 or > 600_000) return "afterMs must be between 0 and 600000";
        return HangUpAfterSeconds is < 0 or > 3600 ? "hangUpAfterSeconds must be between 0 and 3600" : null;
    }

    public CallTakerBehavior? ToBehavior() => Behavior?.ToLowerInvariant() switch
    {
        "answer" => CallTakerBehavior.AnswersAfter(TimeSpan.FromMilliseconds(AfterMs), HangUpAfterSeconds is { } s ? TimeSpan.FromSeconds(s) : null),
        "ignore" => CallTakerBehavior.Ignores,
        "busy" => CallTakerBehavior.Busy,
        _ => null,
    };
}
