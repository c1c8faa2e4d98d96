using Microsoft.AspNetCore.Http;

namespace Routing.Engine.Operators;

/// <summary>The one error shape of the operator API: <c>{ status, code, message }</c> (docs/operator-api.md).
/// <c>message</c> is for people and names what was refused and why; <c>code</c> is for code.</summary>
public sealed record ApiError(int Status, string Code, string Message);

internal static class ApiProblem
{
    public static IResult BadRequest(string message) => Of(StatusCodes.Status400BadRequest, "bad-request", message);

    public static IResult Unauthenticated(string message) => Of(StatusCodes.Status401Unauthorized, "unauthenticated", message);

    public static IResult Forbidden(string message) => Of(StatusCodes.Status403Forbidden, "forbidden", message);

    public static IResult NotFound(string message) => Of(StatusCodes.Status404NotFound, "not-found", message);

    public static IResult Conflict(string message) => Of(StatusCodes.Status409Conflict, "state", message);

    public static IResult Unavailable(string message) => Of(StatusCodes.Status503ServiceUnavailable, "unavailable", message);

    public static IResult Of(ApiError error) => Results.Json(error, statusCode: error.Status);

    private static IResult Of(int status, string code, string message) => Of(new ApiError(status, code, message));
}
