using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Routing.Calls;
using Routing.Calls.Centre;
using Routing.Calls.Ports;
using Routing.Calls.Routing;
using Routing.Engine.Calls;
using Routing.Engine.Centre;
using Routing.Ledger;

namespace Routing.Engine.Operators;

/// <summary>The operator API of docs/operator-api.md: call-takers log in, pause, and work their calls; a
/// supervisor watches. Every refusal is one <see cref="ApiError"/> and changes nothing.</summary>
internal static class OperatorApiEndpoints
{
    public static IEndpointRouteBuilder MapOperatorApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api");
        api.MapGet("/me", (HttpContext context, IServiceProvider services) =>
        {
            var who = context.Operator();
            return Results.Json(new { user = who.User, role = OperatorIdentity.RoleName(who.Role), position = services.GetService<CentreService>()?.PositionOf(who.User) });
        });

        api.MapGet("/centre", (IServiceProvider services) => WithCentre(services, centre => Results.Json(centre.Picture)));
        api.MapGet("/calltakers", (IServiceProvider services) => WithCentre(services, centre => Results.Json(centre.Picture.CallTakers)));
        api.MapGet("/calltakers/{position}", (string position, IServiceProvider services) => WithCentre(services, centre =>
            centre.CallTaker(position) is { } view ? Results.Json(view) : ApiProblem.NotFound($"unknown position {Clip(position)}")));
        api.MapGet("/calltakers/{position}/story", async (string position, IServiceProvider services, LedgerReader ledger, CancellationToken cancellationToken) =>
        {
            if (services.GetService<CentreService>() is not { } centre)
            {
                return NoCentre();
            }

            if (centre.CallTaker(position) is not { } view)
            {
                return ApiProblem.NotFound($"unknown position {Clip(position)}");
            }

            var events = await ledger.EventsOfAsync(CentreService.PositionStoryId(view.Position), 500, cancellationToken).ConfigureAwait(false);
            return Results.Json(new { position = view.Position, events = events.Select(StoryEvent) });
        });

        foreach (var action in Enum.GetValues<PositionAction>())
        {
            api.MapPost($"/calltakers/{{position}}/{action.ToString().ToLowerInvariant()}", async (string position, HttpContext context, IServiceProvider services, OperatorApiOptions options, CancellationToken cancellationToken) =>
            {
                if (services.GetService<CentreService>() is not { } centre)
                {
                    return NoCentre();
                }

                var (body, problem) = await OperatorBodies.ReadAsync(context.Request, new ReasonBody(null), cancellationToken).ConfigureAwait(false);
                if (problem is not null)
                {
                    return ApiProblem.BadRequest(problem);
                }

                var reply = await centre.AskAsync(context.Operator(), position, action, body!.Reason, options.ReplyTimeout, cancellationToken).ConfigureAwait(false);
                return reply.Error is { } error ? ApiProblem.Of(error) : Results.Json(reply.CallTaker);
            });
        }

        api.MapGet("/calls", (HttpContext context, CallRegistry registry, TimeProvider time, IServiceProvider services) =>
        {
            var who = context.Operator();
            var position = services.GetService<CentreService>()?.PositionOf(who.User);
            var now = time.GetUtcNow();
            return Results.Json(registry.Active
                .Where(call => who.IsSupervisor || (position is not null && string.Equals(call.Snapshot.CallTaker, position, StringComparison.OrdinalIgnoreCase)))
                .OrderBy(call => call.ArrivedAt)
                .Select(call => CallCards.Of(call, now)));
        });
        api.MapGet("/calls/{callId}", (string callId, HttpContext context, CallRegistry registry, TimeProvider time, IServiceProvider services) =>
        {
            if (!registry.TryGetByCallId(callId, out var call))
            {
                return ApiProblem.NotFound($"unknown call {Clip(callId)}");
            }

            return MayView(context.Operator(), call, services) is { } refusal ? refusal : Results.Json(CallCards.Of(call, time.GetUtcNow()));
        });
        api.MapGet("/calls/{callId}/story", async (string callId, HttpContext context, LedgerReader ledger, IServiceProvider services, CancellationToken cancellationToken) =>
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
                return ApiProblem.Forbidden($"call {Clip(callId)} is not yours: a call-taker reads the stories of calls offered to its position");
            }

            return Results.Json(Story(history));
        });

        MapCallAction(api, "classify", async (request, routing, ct) =>
        {
            var (body, problem) = await OperatorBodies.ReadAsync(request, new ClassifyBody(null, null, null, null), ct).ConfigureAwait(false);
            return body is null ? (null, problem) : OperatorBodies.Classify(routing, body);
        });
        MapCallAction(api, "transfer", async (request, routing, ct) =>
        {
            var (body, problem) = await OperatorBodies.ReadAsync(request, new TransferBody(null, null), ct).ConfigureAwait(false);
            return body is null ? (null, problem) : OperatorBodies.Transfer(routing, body);
        });
        MapCallAction(api, "transfer/complete", (_, _, _) => Task.FromResult<(CallTakerAction?, string?)>((new CallTakerAction.CompleteTransfer(), null)));
        MapCallAction(api, "transfer/cancel", (_, _, _) => Task.FromResult<(CallTakerAction?, string?)>((new CallTakerAction.CancelTransfer(), null)));
        MapCallAction(api, "hold", (_, _, _) => Task.FromResult<(CallTakerAction?, string?)>((new CallTakerAction.Hold(), null)));
        MapCallAction(api, "resume", (_, _, _) => Task.FromResult<(CallTakerAction?, string?)>((new CallTakerAction.Resume(), null)));
        MapCallAction(api, "requeue", (request, _, ct) => Reason(request, ct, r => new CallTakerAction.Requeue(r)));
        MapCallAction(api, "hangup", (request, _, ct) => Reason(request, ct, r => new CallTakerAction.HangUp(r)));
        MapCallAction(api, "location", async (request, _, ct) =>
        {
            var (body, problem) = await OperatorBodies.ReadAsync(request, new LocationBody(null, null, null, null), ct).ConfigureAwait(false);
            var now = request.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
            return body is null ? (null, problem) : OperatorBodies.Location(body, now);
        });

        api.MapGet("/events", (HttpContext context, CentreEventHub hub, OperatorApiOptions options, TimeProvider time, IServiceProvider services, CancellationToken cancellationToken) =>
            CentreEventStream.RunAsync(context, hub, services.GetService<CentreService>(), options, time, cancellationToken));
        return endpoints;
    }

    private delegate Task<(CallTakerAction? Action, string? Problem)> ActionParser(HttpRequest request, RoutingOptions routing, CancellationToken cancellationToken);

    /// <summary>The checks every call action shares: a call-taker logged in to a position, a live call; then
    /// the call itself decides (its call-taker, its state) in its own mailbox.</summary>
    private static void MapCallAction(RouteGroupBuilder api, string name, ActionParser parse)
    {
        api.MapPost($"/calls/{{callId}}/{name}", async (string callId, HttpContext context, CallRegistry registry, Microsoft.Extensions.Options.IOptions<RoutingOptions> routing,
            OperatorApiOptions options, TimeProvider time, IServiceProvider services, CancellationToken cancellationToken) =>
        {
            if (services.GetService<CentreService>() is not { } centre)
            {
                return NoCentre();
            }

            var who = context.Operator();
            if (who.IsSupervisor)
            {
                return ApiProblem.Forbidden($"supervisors do not act on calls; {name} is a call-taker's action");
            }

            if (centre.PositionOf(who.User) is not { } position)
            {
                return ApiProblem.Conflict($"{who.User} is not logged in to a position");
            }

            if (!registry.TryGetByCallId(callId, out var call))
            {
                return ApiProblem.NotFound($"unknown call {Clip(callId)}");
            }

            var (action, problem) = await parse(context.Request, routing.Value, cancellationToken).ConfigureAwait(false);
            if (action is null)
            {
                return ApiProblem.BadRequest(problem ?? $"{name}: invalid request");
            }

            var reply = new TaskCompletionSource<Refusal?>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!call.Post(new CallInput.OperatorRequest(action, position, who.User, reply)))
            {
                return ApiProblem.NotFound($"unknown call {Clip(callId)} (it has ended)");
            }

            try
            {
                var refusal = await reply.Task.WaitAsync(options.ReplyTimeout, time, cancellationToken).ConfigureAwait(false);
                return refusal is null
                    ? Results.Json(new { callId = call.CallId, accepted = name }, statusCode: StatusCodes.Status202Accepted)
                    : ApiProblem.Of(CentreService.ToApiError(refusal));
            }
            catch (TimeoutException)
            {
                return ApiProblem.Unavailable($"call {call.CallId} did not answer within {options.ReplyTimeout}");
            }
        });
    }

    private static async Task<(CallTakerAction? Action, string? Problem)> Reason(HttpRequest request, CancellationToken cancellationToken, Func<string, CallTakerAction> make)
    {
        var (body, problem) = await OperatorBodies.ReadAsync(request, new ReasonBody(null), cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return (null, problem);
        }

        return OperatorBodies.CheckText("reason", body.Reason, OperatorBodies.MaxShortText) is { } bad
            ? (null, bad)
            : (make(string.IsNullOrWhiteSpace(body.Reason) ? "no reason given" : body.Reason.Trim()), null);
    }

    private static IResult? MayView(OperatorIdentity who, Call call, IServiceProvider services)
    {
        if (who.IsSupervisor)
        {
            return null;
        }

        var position = services.GetService<CentreService>()?.PositionOf(who.User);
        return position is not null && string.Equals(call.Snapshot.CallTaker, position, StringComparison.OrdinalIgnoreCase)
            ? null
            : ApiProblem.Forbidden($"call {call.CallId} is not yours{(call.Snapshot.CallTaker is { } other ? $" (it is with {other})" : "")}");
    }

    private static IResult WithCentre(IServiceProvider services, Func<CentreService, IResult> then) =>
        services.GetService<CentreService>() is { } centre ? then(centre) : NoCentre();

    private static IResult NoCentre() => ApiProblem.Unavailable("the call-taker centre is not configured (no Centre section in the settings)");

    private static object Story(CallHistory history) => new
    {
        call = new
        {
            callId = history.Call.Call.CallId,
            callerNumber = history.Call.Call.CallerNumber,
            dialedNumber = history.Call.Call.DialedNumber,
            entry = history.Call.Call.Entry,
            arrivedAt = history.Call.Call.ArrivedAt,
        },
        legs = history.Legs.Select(l => new { legId = l.Leg.LegId, channelId = l.Leg.ChannelId, agency = l.Leg.Agency, region = l.Leg.Region, trunk = l.Leg.Trunk, endpoint = l.Leg.Endpoint, attempt = l.Leg.Attempt, plannedAt = l.Leg.PlannedAt }),
        events = history.Events.Select(StoryEvent),
        outcome = history.Events.LastOrDefault(e => e.Event.Kind == LedgerEventKinds.Outcome)?.Event.Detail,
    };

    private static object StoryEvent(StoredEvent e) => new { seq = e.Seq, at = e.Event.At, kind = e.Event.Kind, detail = e.Event.Detail, legId = e.Event.LegId };

    private static string Clip(string text) => new(text.Take(60).Where(c => !char.IsControl(c)).ToArray());
}
