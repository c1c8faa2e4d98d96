using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Routing.Calls.Callbacks;
using Microsoft.Extensions.DependencyInjection;
using Routing.Engine.Callbacks;
using Routing.Engine.Centre;
using Routing.Engine.Operators;

namespace Routing.Engine.Admin;

/// <summary>
/// Callback tasks on the admin port: <c>GET /api/callbacks</c> (open ones; <c>?state=all</c> for every
/// task), <c>GET /api/callbacks/{callId}</c>, and the transitions a call-taker makes:
/// <c>POST /api/callbacks/{callId}/attempts</c>, <c>/reached</c>, <c>/close</c> with a JSON body
/// <c>{"by": "...", "note": "..."}</c> (<c>note</c> is the reason for close). A transition not allowed
/// in the task's state answers 409 with the reason; an unknown task 404; a bad body 400.
/// A call-taker calls the caller back from its own phone with <c>POST /api/callbacks/{callId}/call</c> (202, the
/// progress follows as <c>callback</c> events on <c>/api/events</c>) and ends it with <c>/hangup</c>.
/// </summary>
internal static class CallbackEndpoints
{
    public sealed record TransitionBody(string? By, string? Note);

    public static IEndpointRouteBuilder MapCallbackEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/callbacks", async (string? state, CallbackDesk desk, TimeProvider time, CancellationToken ct) =>
        {
            if (state is not (null or "open" or "all"))
            {
                return Results.BadRequest(new { error = $"state '{state}' is unknown; use open or all" });
            }

            var tasks = await desk.ListAsync(openOnly: state != "all", ct);
            var now = time.GetUtcNow();
            return Results.Json(tasks.Select(t => View(t, now)));
        });
        endpoints.MapGet("/api/callbacks/{callId}", async (string callId, CallbackDesk desk, TimeProvider time, CancellationToken ct) =>
            await desk.FindAsync(callId, ct) is { } task
                ? Results.Json(View(task, time.GetUtcNow()))
                : Results.NotFound(new { error = $"no callback task for call {callId}" }));
        endpoints.MapPost("/api/callbacks/{callId}/attempts", (string callId, TransitionBody? body, CallbackDesk desk, TimeProvider time, CancellationToken ct) =>
            TransitionAsync(desk, time, callId, body, (t, by, note) => t.Attempt(by, note), ct));
        endpoints.MapPost("/api/callbacks/{callId}/reached", (string callId, TransitionBody? body, CallbackDesk desk, TimeProvider time, CancellationToken ct) =>
            TransitionAsync(desk, time, callId, body, (t, by, note) => t.Reach(by, note), ct));
        endpoints.MapPost("/api/callbacks/{callId}/close", (string callId, TransitionBody? body, CallbackDesk desk, TimeProvider time, CancellationToken ct) =>
            TransitionAsync(desk, time, callId, body, (t, by, note) => t.Close(by, note), ct));
        endpoints.MapPost("/api/callbacks/{callId}/call", CallAsync);
        endpoints.MapPost("/api/callbacks/{callId}/hangup", (string callId, HttpContext context, IServiceProvider services) =>
        {
            if (Caller(context, services, "hang up a call back") is { Problem: { } problem })
            {
                return problem;
            }

            var position = services.GetRequiredService<CentreService>().PositionOf(context.Operator().User);
            var call = services.GetRequiredService<CallbackCalls>().Find(callId);
            if (call is null)
            {
                return ApiProblem.Conflict($"no call back of call {Clip(callId)} is under way");
            }

            if (!string.Equals(call.Position, position, StringComparison.OrdinalIgnoreCase))
            {
                return ApiProblem.Forbidden($"the call back of call {call.CallId} is not yours (it is with {call.Position})");
            }

            call.HangUp($"{context.Operator().User}@{position}");
            return Results.Json(new { callId = call.CallId, accepted = "hangup" }, statusCode: StatusCodes.Status202Accepted);
        });
        return endpoints;
    }

    private static async Task<IResult> CallAsync(string callId, HttpContext context, IServiceProvider services, CancellationToken ct)
    {
        if (Caller(context, services, "call a caller back") is { Problem: { } problem })
        {
            return problem;
        }

        var who = context.Operator();
        var position = services.GetRequiredService<CentreService>().PositionOf(who.User);
        if (position is null)
        {
            return ApiProblem.Conflict($"{who.User} is not logged in to a position; a call back rings the call-taker's own phone first");
        }

        var (call, error) = await services.GetRequiredService<CallbackCalls>().StartAsync(callId, position, who.User, ct);
        return error is not null
            ? ApiProblem.Of(error)
            : Results.Json(new { callId = call!.CallId, callbackId = call.CallbackId, position, state = call.State, accepted = "call" }, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>Only a call-taker calls back (a supervisor takes no calls), and only with a centre.</summary>
    private static (IResult? Problem, bool Ok) Caller(HttpContext context, IServiceProvider services, string what)
    {
        if (services.GetService<CallbackCalls>() is null)
        {
            return (ApiProblem.Unavailable("the call-taker centre is not configured: no phone to call back from"), false);
        }

        return context.Operator().IsSupervisor
            ? (ApiProblem.Forbidden($"supervisors take no calls: a call-taker may {what}"), false)
            : (null, true);
    }

    private static string Clip(string text) => new(text.Take(60).Where(c => !char.IsControl(c)).ToArray());

    private static async Task<IResult> TransitionAsync(
        CallbackDesk desk, TimeProvider time, string callId, TransitionBody? body, Func<CallbackTask, string, string, CallbackTransition> transition, CancellationToken ct)
    {
        if (body is null || string.IsNullOrWhiteSpace(body.By))
        {
            return Results.BadRequest(new { error = "the body must be JSON with \"by\" (who acts) and \"note\"" });
        }

        try
        {
            var task = await desk.TransitionAsync(callId, t => transition(t, body.By, body.Note ?? ""), ct);
            return Results.Json(View(task, time.GetUtcNow()));
        }
        catch (KeyNotFoundException ex)
        {
            return Results.NotFound(new { error = ex.Message });
        }
        catch (CallbackRefusedException ex)
        {
            return Results.Conflict(new { error = ex.Message });
        }
    }

    private static object View(CallbackTask t, DateTimeOffset now) => new
    {
        callId = t.CallId,
        callerNumber = t.CallerNumber,
        state = t.State.ToString().ToLowerInvariant(),
        openedAt = t.OpenedAt,
        openReason = t.OpenReason,
        ageSeconds = Math.Round((now - t.OpenedAt).TotalSeconds, 1),
        attempts = t.Attempts,
        lastAttemptAt = t.LastAttemptAt,
        reachedAt = t.ReachedAt,
        closedAt = t.ClosedAt,
        closedReason = t.ClosedReason,
        lastResult = t.LastResult,
    };
}
