using System.Net;
using Microsoft.AspNetCore.Http;

namespace Routing.Engine.Operators;

/// <summary>
/// Sets the <see cref="OperatorIdentity"/> of an <c>/api</c> request when no sign-in did: from the
/// <c>X-Operator</c> headers of a loopback client (if <see cref="OperatorApiOptions.TrustOperatorHeader"/>),
/// else from <see cref="OperatorApiOptions.DevelopmentIdentity"/>. It never replaces an identity a
/// sign-in middleware already set. Malformed headers are a 400 naming the header; no identity is a 401.
/// </summary>
internal sealed class OperatorIdentityMiddleware(RequestDelegate next, OperatorApiOptions options)
{
    public const string UserHeader = "X-Operator";
    public const string RoleHeader = "X-Operator-Role";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/api") || context.Features.Get<OperatorIdentity>() is not null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var (identity, problem) = Resolve(context);
        if (problem is not null)
        {
            await problem.ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        context.Features.Set(identity);
        await next(context).ConfigureAwait(false);
    }

    private (OperatorIdentity? Identity, IResult? Problem) Resolve(HttpContext context)
    {
        var headers = context.Request.Headers;
        if (options.TrustOperatorHeader && headers.ContainsKey(UserHeader))
        {
            if (!IsLoopback(context.Connection.RemoteIpAddress))
            {
                return (null, ApiProblem.Unauthenticated($"{UserHeader} is accepted only from loopback; sign in instead"));
            }

            string? user = headers[UserHeader];
            if (OperatorIdentity.CheckUser(user) is { } userProblem)
            {
                return (null, ApiProblem.BadRequest($"{UserHeader}: {userProblem}"));
            }

            string? roleText = headers[RoleHeader];
            if (!OperatorIdentity.TryParseRole(roleText, out var role))
            {
                return (null, ApiProblem.BadRequest($"{RoleHeader} must be calltaker or supervisor (got '{Clip(roleText)}')"));
            }

            return (new OperatorIdentity(user!.Trim(), role), null);
        }

        var development = options.DevelopmentIdentity;
        if (!string.IsNullOrEmpty(development.User) && OperatorIdentity.TryParseRole(development.Role, out var developmentRole))
        {
            return (new OperatorIdentity(development.User, developmentRole), null);
        }

        return (null, ApiProblem.Unauthenticated(options.TrustOperatorHeader
            ? $"no operator identity: sign in, or send {UserHeader} from loopback"
            : "no operator identity: sign in"));
    }

    private static bool IsLoopback(IPAddress? address) => address is not null && IPAddress.IsLoopback(address);

    private static string Clip(string? text) => text is null ? "" : new string(text.Take(32).Where(c => !char.IsControl(c)).ToArray());
}
