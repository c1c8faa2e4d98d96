using Microsoft.AspNetCore.Http;
using Routing.Engine.Operators;

namespace Routing.Engine.SignIn;

/// <summary>
/// Sets the <see cref="OperatorIdentity"/> from the console's session cookie. When sign-in is configured
/// it is the only way in: an <c>/api</c> request without a live session is a 401 here, before the
/// development header identity could be consulted.
/// </summary>
internal sealed class ConsoleSignInMiddleware(RequestDelegate next, SignInOptions options, ConsoleSessions sessions)
{
    public const string CookieName = "routing_console";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!options.Enabled)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        if (sessions.Find(context.Request.Cookies[CookieName]) is { } identity)
        {
            context.Features.Set(identity);
        }
        else if (context.Request.Path.StartsWithSegments("/api"))
        {
            await ApiProblem.Unauthenticated("not signed in: sign in on /console").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }
}
