using Microsoft.AspNetCore.Http;

namespace Routing.Engine.Operators;

internal static class OperatorContext
{
    /// <summary>The identity <see cref="OperatorIdentityMiddleware"/> (or a sign-in) set; the middleware
    /// refuses a request without one before it gets here.</summary>
    public static OperatorIdentity Operator(this HttpContext context) =>
        context.Features.Get<OperatorIdentity>() ?? throw new InvalidOperationException("operator identity missing: OperatorIdentityMiddleware is not in the pipeline");
}
