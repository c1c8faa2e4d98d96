using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Routing.Calls.Callbacks;
using Routing.Calls.Centre;
using Routing.Engine.Callbacks;
using Routing.Engine.Calls;
using Routing.Engine.Centre;
using Routing.Engine.Operators;
using Routing.Engine.Recordings;
using Routing.Ledger;

namespace Routing.Engine.Wallboard;

/// <summary>What the console needs beyond the centre's own routes (docs/operator-api.md, "Console"):
/// the supervisor's wallboard figures, call history search, a call's earlier calls from the same number,
/// and a call's recording.</summary>
internal static class WallboardEndpoints
{
    public const int MaxHistoryRows = 200;


    public static IEndpointRouteBuilder MapWallboardApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api");
        api.MapGet("/wallboard", async (HttpContext context, WallboardHistory history, LedgerReader ledger, TimeProvider time, IServiceProvider services, CancellationToken cancellationToken) =>
        {
            if (!context.Operator().IsSupervisor)
            {
                return ApiProblem.Forbidden("the wallboard is a supervisor's view");
            }

            var longest = services.GetService<CentreService>()?.Picture.Groups.Select(g => g.LongestWait).DefaultIfEmpty(0).Max() ?? 0;
            var since = time.GetUtcNow() - TimeSpan.FromHours(24);
            // Each abandoned call's callback status is its task as the ledger tells it (the same fold as /api/callbacks).
            var events = await ledger.EventsOfKindsSinceAsync(CallbackEventKinds.All.ToArray(), since, 2000, cancellationToken).ConfigureAwait(false);
            var calling = services.GetService<CallbackCalls>();
            var abandoned = events
                .GroupBy(e => e.Event.CallId)
                .Select(g => CallbackTask.Replay(g.Key, "", g.Select(e => new CallbackEvent(e.Event.Kind, e.Event.Detail, e.Event.At))))
                .OfType<CallbackTask>()
                .Select(task => new
                {
                    callId = task.CallId,
                    at = task.OpenedAt,
                    detail = task.OpenReason,
                    callback = task.State.ToString().ToLowerInvariant(),
                    attempts = task.Attempts,
                    lastResult = task.LastResult,
                    callingFrom = calling?.Find(task.CallId)?.Position,
                })
                .OrderByDescending(a => a.at)
                .Take(50)
                .ToList();
            return Results.Json(new
            {
                at = time.GetUtcNow(),
                shiftStart = history.ShiftStart,
                history = history.SeedState.ToString().ToLowerInvariant(),
                serviceLevels = history.ServiceLevels(),
                targets = new { within15 = 0.90, within20 = 0.95 },
                minutes = history.Minutes(60, longest),
                trunkFailures = history.Trunks(),
                abandoned,
            });
        });

        api.MapGet("/history", async (HttpContext context, LedgerReader ledger, CancellationToken cancellationToken) =>
        {
            if (!context.Operator().IsSupervisor)
            {
                return ApiProblem.Forbidden("call history is a supervisor's view");
            }

            var query = context.Request.Query;
            if (!TryInstant(query["from"], "from", out var from, out var problem) || !TryInstant(query["to"], "to", out var to, out problem))
            {
                return ApiProblem.BadRequest(problem!);
            }

            string? number = query["number"], agency = query["agency"], outcome = query["outcome"];
            if (new[] { number, agency, outcome }.Any(v => v is { Length: > 40 }))
            {
                return ApiProblem.BadRequest("number, agency and outcome are at most 40 characters");
            }

            var found = await ledger.SearchCallsAsync(new CallSearch(number, from, to, agency, outcome), MaxHistoryRows, cancellationToken).ConfigureAwait(false);
            return Results.Json(found.Select(Summary));
        });

        api.MapGet("/calls/{callId}/earlier", async (string callId, HttpContext context, CallRegistry registry, LedgerReader ledger, TimeProvider time, IServiceProvider services, CancellationToken cancellationToken) =>
        {
            if (!registry.TryGetByCallId(callId, out var call))
            {
                return ApiProblem.NotFound($"unknown call {Clip(callId)}");
            }

            var who = context.Operator();
            if (!who.IsSupervisor && !string.Equals(services.GetService<CentreService>()?.PositionOf(who.User), call.Snapshot.CallTaker, StringComparison.OrdinalIgnoreCase))
            {
                return ApiProblem.Forbidden($"call {call.CallId} is not yours");
            }

            var number = call.Classification.CallerNumber;
            if (string.IsNullOrEmpty(number))
            {
                return Results.Json(Array.Empty<object>());
            }

            // Repeat callers matter in 112: the same number within a day is shown on the card.
            var found = await ledger.SearchCallsAsync(new CallSearch(number, time.GetUtcNow() - TimeSpan.FromHours(24)), 20, cancellationToken).ConfigureAwait(false);
            return Results.Json(found.Where(f => f.Call.CallId != call.CallId && f.Call.CallerNumber == number).Select(Summary));
        });

        api.MapGet("/calls/{callId}/recording", async (string callId, HttpContext context, LedgerReader ledger, IConfiguration configuration, IServiceProvider services, CancellationToken cancellationToken) =>
        {
            var history = await ledger.GetCallAsync(callId, cancellationToken).ConfigureAwait(false);
            if (history is null)
            {
                return ApiProblem.NotFound($"unknown call {Clip(callId)}");
            }

            var who = context.Operator();
            var position = services.GetService<CentreService>()?.PositionOf(who.User);
            if (!who.IsSupervisor && (position is null || !history.Legs.Any(l => l.Leg.Agency == CentreLeg.Agency && string.Equals(l.Leg.Trunk, position, StringComparison.OrdinalIgnoreCase))))
            {
                return ApiProblem.Forbidden($"call {Clip(callId)} is not yours: a recording is played to a supervisor or the call-taker who had the call");
            }

            var purged = history.Events.Any(e => e.Event.Kind == RecordingFacts.PurgedKind);
            var facts = history.Events.Where(e => e.Event.Kind == RecordingFacts.StoredKind).Select(e => RecordingFacts.FromDetail(e.Event.Detail)).LastOrDefault(f => f is not null);
            if (facts is null || purged)
            {
                return ApiProblem.NotFound($"call {Clip(callId)} has no recording{(purged ? " (purged)" : "")}");
            }

            var directory = Path.GetFullPath(configuration[$"{RecordingsOptions.Section}:Directory"] ?? new RecordingsOptions().Directory, AppContext.BaseDirectory);
            var file = Path.GetFullPath(Path.Combine(directory, facts.Path));
            if (!file.StartsWith(directory.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                return ApiProblem.Forbidden($"recording path of call {Clip(callId)} leaves the recordings directory");
            }

            return File.Exists(file)
                ? Results.File(file, "audio/wav", enableRangeProcessing: true)
                : ApiProblem.NotFound($"recording {Clip(facts.Path)} of call {Clip(callId)} is missing from {directory}");
        });
        return endpoints;
    }

    private static object Summary(CallSummary s) => new
    {
        callId = s.Call.CallId,
        callerNumber = s.Call.CallerNumber,
        dialedNumber = s.Call.DialedNumber,
        entry = s.Call.Entry,
        arrivedAt = s.Call.ArrivedAt,
        outcome = s.Outcome,
        agencies = s.Agencies.Where(a => a != CentreLeg.Agency),
    };

    private static bool TryInstant(string? text, string name, out DateTimeOffset? value, out string? problem)
    {
        value = null;
        problem = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            value = parsed;
            return true;
        }

        problem = $"{name} is not a date and time (ISO-8601, e.g. 2026-12-06T10:00:00Z)";
        return false;
    }

    private static string Clip(string text) => new(text.Take(60).Where(c => !char.IsControl(c)).ToArray());
}
