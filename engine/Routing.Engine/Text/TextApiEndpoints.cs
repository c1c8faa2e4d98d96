using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Routing.Calls;
using Routing.Calls.Routing;
using Routing.Engine.Centre;
using Routing.Engine.Operators;

namespace Routing.Engine.Text;

public sealed record TextReplyBody(string? Text);

/// <summary>The operator API for text sessions (docs/operator-api.md, "Text sessions"): list and read them, accept an
/// offered one, reply, classify, hand to an agency, close. Same identity and refusal rules as calls.</summary>
internal static class TextApiEndpoints
{
    public static IEndpointRouteBuilder MapTextApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/texts");
        api.MapGet("", (HttpContext context, IServiceProvider services) => WithText(services, (text, centre) =>
        {
            var who = context.Operator();
            var position = centre.PositionOf(who.User);
            return Results.Json(text.Sessions.Where(s => who.IsSupervisor || Holds(s, position)).Select(s => s with { Messages = [] }));
        }));
        api.MapGet("/{sessionId}", (string sessionId, HttpContext context, IServiceProvider services) => WithText(services, (text, centre) =>
        {
            if (text.Session(sessionId) is not { } session) return ApiProblem.NotFound($"unknown text session {Clip(sessionId)}");
            var who = context.Operator();
            return who.IsSupervisor || Holds(session, centre.PositionOf(who.User)) || Offered(centre, sessionId, centre.PositionOf(who.User))
                ? Results.Json(session)
                : ApiProblem.Forbidden($"text session {session.SessionId} is not yours{(session.CallTaker is { } other ? $" (it is with {other})" : "")}");
        }));

        api.MapPost("/{sessionId}/accept", async (string sessionId, HttpContext context, IServiceProvider services, OperatorApiOptions options, CancellationToken cancellationToken) =>
        {
            if (services.GetService<TextService>() is null || services.GetService<CentreService>() is not { } centre) return NoText();
            var who = context.Operator();
            if (who.IsSupervisor) return ApiProblem.Forbidden("supervisors do not act on text sessions; accept is a call-taker's action");
            var error = await centre.AcceptTextAsync(who, sessionId, options.ReplyTimeout, cancellationToken).ConfigureAwait(false);
            return error is null ? Results.Json(new { sessionId, accepted = "accept" }, statusCode: StatusCodes.Status202Accepted) : ApiProblem.Of(error);
        });

        MapAction(api, "reply", async (request, _, text, ct) =>
        {
            var (body, problem) = await OperatorBodies.ReadAsync(request, new TextReplyBody(null), ct).ConfigureAwait(false);
            if (body is null) return (null, problem);
            if (string.IsNullOrWhiteSpace(body.Text)) return (null, "text is required");
            return OperatorBodies.CheckText("text", body.Text, text.Options.MaxReplyLength, allowNewLines: true) is { } bad ? (null, bad) : (new TextAction.Reply(body.Text), null);
        });
        MapAction(api, "classify", async (request, routing, _, ct) =>
        {
            var (body, problem) = await OperatorBodies.ReadAsync(request, new ClassifyBody(null, null, null, null), ct).ConfigureAwait(false);
            if (body is null) return (null, problem);
            var (action, bad) = OperatorBodies.Classify(routing, body);
            return action is CallTakerAction.Classify c ? (new TextAction.Classify(c.Kind, c.Agency, c.IncidentType, c.Note), null) : (null, bad);
        });
        MapAction(api, "transfer", async (request, routing, _, ct) =>
        {
            var (body, problem) = await OperatorBodies.ReadAsync(request, new TransferBody(null, null), ct).ConfigureAwait(false);
            if (body is null) return (null, problem);
            if (OperatorBodies.CheckAgency(routing, "agency", body.Agency, required: true) is { } bad) return (null, bad);
            return (new TextAction.Transfer(routing.Agencies.Keys.First(k => string.Equals(k, body.Agency, StringComparison.OrdinalIgnoreCase))), null);
        });
        MapAction(api, "close", async (request, _, _, ct) =>
        {
            var (body, problem) = await OperatorBodies.ReadAsync(request, new ReasonBody(null), ct).ConfigureAwait(false);
            if (body is null) return (null, problem);
            return OperatorBodies.CheckText("reason", body.Reason, OperatorBodies.MaxShortText) is { } bad
                ? (null, bad)
                : (new TextAction.Close(string.IsNullOrWhiteSpace(body.Reason) ? "closed by the call-taker" : body.Reason.Trim()), null);
        });
        return endpoints;
    }

    private delegate Task<(TextAction? Action, string? Problem)> ActionParser(HttpRequest request, RoutingOptions routing, TextService text, CancellationToken cancellationToken);

    private static void MapAction(RouteGroupBuilder api, string name, ActionParser parse)
    {
        api.MapPost($"/{{sessionId}}/{name}", async (string sessionId, HttpContext context, IServiceProvider services, IOptions<RoutingOptions> routing, OperatorApiOptions options, CancellationToken cancellationToken) =>
        {
            if (services.GetService<TextService>() is not { } text || services.GetService<CentreService>() is not { } centre) return NoText();
            var who = context.Operator();
            if (who.IsSupervisor) return ApiProblem.Forbidden($"supervisors do not act on text sessions; {name} is a call-taker's action");
            if (centre.PositionOf(who.User) is not { } position) return ApiProblem.Conflict($"{who.User} is not logged in to a position");
            if (text.Session(sessionId) is null) return ApiProblem.NotFound($"unknown text session {Clip(sessionId)}");
            var (action, problem) = await parse(context.Request, routing.Value, text, cancellationToken).ConfigureAwait(false);
            if (action is null) return ApiProblem.BadRequest(problem ?? $"{name}: invalid request");
            var error = await text.AskAsync(sessionId, who, position, action, options.ReplyTimeout, cancellationToken).ConfigureAwait(false);
            return error is null ? Results.Json(new { sessionId, accepted = name }, statusCode: StatusCodes.Status202Accepted) : ApiProblem.Of(error);
        });
    }

    private static bool Holds(TextSessionDto session, string? position) =>
        position is not null && string.Equals(session.CallTaker, position, StringComparison.OrdinalIgnoreCase);

    private static bool Offered(CentreService centre, string sessionId, string? position) =>
        position is not null && centre.CallTaker(position) is { } view && string.Equals(view.CallId, sessionId, StringComparison.Ordinal);

    private static IResult WithText(IServiceProvider services, Func<TextService, CentreService, IResult> then) =>
        services.GetService<TextService>() is { } text && services.GetService<CentreService>() is { } centre ? then(text, centre) : NoText();

    private static IResult NoText() => ApiProblem.Unavailable("text sessions are not configured (no Text:Gateways)");

    private static string Clip(string text) => CallerText.CleanText(text, 60);
}
