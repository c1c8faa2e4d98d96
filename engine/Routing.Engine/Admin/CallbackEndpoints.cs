using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Routing.Calls.Callbacks;
using Routing.Engine.Callbacks;

namespace Routing.Engine.Admin;

/// <summary>
/// Callback tasks on the admin port: <c>GET /api/callbacks</c> (open ones; <c>?state=all</c> for every
/// task), <c>GET /api/callbacks/{callId}</c>, and the transitions a call-taker makes:
/// <c>POST /api/callbacks/{callId}/attempts</c>, <c>/reached</c>, <c>/close</c> with a JSON body
/// <c>{"by": "...", "note": "..."}</c> (<c>note</c> is the reason for close). A transition not allowed
/// in the task's state answers 409 with the reason; an unknown task 404; a bad body 400.
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
        return endpoints;
    }

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
    };
}
