using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Routing.Engine.Operators;

namespace Routing.Engine.SignIn;

/// <summary><c>POST /console/signin</c> <c>{ user, password }</c> and <c>POST /console/signout</c>;
/// answers and refusals in the operator API's shape.</summary>
internal static class SignInEndpoints
{
    public sealed record Credentials(string? User, string? Password);

    public static IEndpointRouteBuilder MapSignIn(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/console/signin", (SignInOptions options) => Results.Json(new { enabled = options.Enabled }));
        endpoints.MapPost("/console/signin", async (HttpContext context, SignInOptions options, ConsoleSessions sessions, CancellationToken cancellationToken) =>
        {
            if (!options.Enabled)
            {
                return ApiProblem.Unavailable("sign-in is not configured (no SignIn:Users in the settings)");
            }

            var (body, problem) = await OperatorBodies.ReadAsync(context.Request, new Credentials(null, null), cancellationToken).ConfigureAwait(false);
            if (body is null)
            {
                return ApiProblem.BadRequest(problem ?? "sign-in: invalid request");
            }

            var (result, token, identity, retryAfter) = sessions.SignIn(body.User, body.Password);
            switch (result)
            {
                case SignInResult.SignedIn:
                    context.Response.Cookies.Append(ConsoleSignInMiddleware.CookieName, token!, Cookie(context, options.SessionLifetime));
                    return Results.Json(new { user = identity!.User, role = OperatorIdentity.RoleName(identity.Role) });
                case SignInResult.LockedOut:
                    var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                    context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                    return Results.Json(new ApiError(StatusCodes.Status429TooManyRequests, "locked", $"too many failed sign-ins; try again in {seconds} s"), statusCode: StatusCodes.Status429TooManyRequests);
                default:
                    return ApiProblem.Unauthenticated("user or password is wrong");
            }
        });
        endpoints.MapPost("/console/signout", (HttpContext context, ConsoleSessions sessions) =>
        {
            sessions.SignOut(context.Request.Cookies[ConsoleSignInMiddleware.CookieName]);
            context.Response.Cookies.Delete(ConsoleSignInMiddleware.CookieName, Cookie(context, TimeSpan.Zero));
            return Results.NoContent();
        });
        return endpoints;
    }

    private static CookieOptions Cookie(HttpContext context, TimeSpan lifetime) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        // Behind a TLS reverse proxy the forwarded headers make the request https (SignIn:BehindProxy).
        Secure = context.Request.IsHttps,
        Path = "/",
        MaxAge = lifetime > TimeSpan.Zero ? lifetime : null,
    };
}
