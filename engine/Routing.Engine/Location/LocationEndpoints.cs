using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Routing.Calls.Location;
using Routing.Calls.Routing;
using Routing.Engine.Operators;

namespace Routing.Engine.Location;

/// <summary>
/// Where locations are handed in by machines, on the admin host beside the operator API (not under <c>/api</c>:
/// no person signs in here): <c>POST /location/aml</c> (ETSI TS 103 625 HTTPS form), <c>POST /location/aml/sms</c>
/// (the AML SMS as a gateway received it) and <c>POST /location/pidf</c> (the SBC's hand-over of a by-value PIDF-LO).
/// Each needs the shared token, reads a bounded body, and answers what became of it: 202 recorded or held, 400
/// malformed, 401 no token, 413 too large, 422 stale. See docs/location.md.
/// </summary>
internal static class LocationEndpoints
{
    public const string CallerNumberHeader = "X-Caller-Number";
    public const string GeolocationHeader = "X-Geolocation";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void MapLocationIntake(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/location");
        group.MapPost("/aml", (HttpContext context, CancellationToken cancellationToken) =>
            Handle(context, LocationSource.Aml, (intake, o, body, now, ct) =>
            {
                var reading = AmlMessage.ParseHttpsForm(body, now);
                return reading.Message is { } m
                    ? AcceptAsync(intake, LocationSource.Aml, m.CallerNumber, m.Location, true, m.Location is null ? "AML: the handset had no fix" : null, ct)
                    : Task.FromResult(Malformed(intake, LocationSource.Aml, reading.Error!));
            }, isPidf: false, cancellationToken));

        group.MapPost("/aml/sms", (HttpContext context, CancellationToken cancellationToken) =>
            Handle(context, LocationSource.Aml, async (intake, o, body, now, ct) =>
            {
                SmsBody? sms;
                try
                {
                    sms = JsonSerializer.Deserialize<SmsBody>(body, Json);
                }
                catch (JsonException ex)
                {
                    return Malformed(intake, LocationSource.Aml, $"AML SMS: the body is not JSON {{\"from\":…,\"text\":…}}: {Clip(ex.Message)}");
                }

                var reading = AmlMessage.ParseSms(sms?.Text, sms?.From, now);
                if (reading.Message is { } m)
                    return await AcceptAsync(intake, LocationSource.Aml, m.CallerNumber, m.Location, true, m.Location is null ? "AML SMS: the handset had no fix (pm=N)" : null, ct).ConfigureAwait(false);

                // The sender's number is the gateway's, not the text's: a malformed message still goes on that caller's record.
                var number = CallerText.NormaliseNumber(sms?.From);
                if (number.Length > 0) await intake.AcceptAsync(LocationSource.Aml, number, null, true, reading.Error, ct).ConfigureAwait(false);
                return Malformed(intake, LocationSource.Aml, reading.Error!);
            }, isPidf: false, cancellationToken));

        group.MapPost("/pidf", (HttpContext context, CancellationToken cancellationToken) =>
            Handle(context, LocationSource.SipPidfLo, async (intake, o, body, now, ct) =>
            {
                var request = context.Request;
                var number = CallerText.NormaliseNumber(request.Headers[CallerNumberHeader].ToString());
                if (number.Length == 0) return Malformed(intake, LocationSource.SipPidfLo, $"{CallerNumberHeader} (the caller's number from the INVITE) is missing or not a number");
                var geolocation = request.Headers[GeolocationHeader].ToString();
                var cid = SipMultipartBody.GeolocationUris(geolocation).FirstOrDefault(u => u.StartsWith("cid:", StringComparison.OrdinalIgnoreCase));
                var routingAllowed = !string.Equals(request.Headers["Geolocation-Routing"].ToString().Trim(), "no", StringComparison.OrdinalIgnoreCase);
                string? error;
                if (!SipMultipartBody.TryFindPidf(request.ContentType, body, cid, out var pidf, out error))
                {
                    await intake.AcceptAsync(LocationSource.SipPidfLo, number, null, routingAllowed, "PIDF-LO hand-over: " + error, ct).ConfigureAwait(false);
                    return Malformed(intake, LocationSource.SipPidfLo, "PIDF-LO hand-over: " + error);
                }

                var reading = PidfLoParser.Parse(pidf, now);
                if (reading.Location is { } location) return await AcceptAsync(intake, LocationSource.SipPidfLo, number, location, routingAllowed, null, ct).ConfigureAwait(false);
                // Rejected on the caller's record too, so the call-taker knows a location was sent and why it is not shown.
                await intake.AcceptAsync(LocationSource.SipPidfLo, number, null, routingAllowed, reading.Error, ct).ConfigureAwait(false);
                return Malformed(intake, LocationSource.SipPidfLo, reading.Error!);
            }, isPidf: true, cancellationToken));
    }

    private delegate Task<IResult> BodyHandler(LocationIntake intake, LocationIntakeOptions options, string body, DateTimeOffset now, CancellationToken cancellationToken);

    private static async Task<IResult> Handle(HttpContext context, LocationSource source, BodyHandler handle, bool isPidf, CancellationToken cancellationToken)
    {
        var services = context.RequestServices;
        var options = services.GetService<LocationIntakeOptions>();
        var intake = services.GetService<LocationIntake>();
        if (options is not { Enabled: true } || intake is null)
            return ApiProblem.NotFound("location intake is not enabled (LocationIntake:Enabled)");

        if (!Authorised(context.Request, options.Token))
        {
            intake.Refused(source, 401, "unauthorized", "missing or wrong bearer token");
            return ApiProblem.Unauthenticated("a valid 'Authorization: Bearer <LocationIntake:Token>' is required");
        }

        var max = isPidf ? options.MaxPidfBytes : options.MaxAmlBytes;
        if (context.Request.ContentLength > max) return TooLarge(intake, source, context.Request.ContentLength.Value, max, isPidf);
        var (bytes, complete) = await BoundedBody.ReadAsync(context.Request.Body, max, cancellationToken).ConfigureAwait(false);
        if (!complete) return TooLarge(intake, source, null, max, isPidf);

        string body;
        try
        {
            body = new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Malformed(intake, source, "the body is not UTF-8");
        }

        return await handle(intake, options, body, services.GetRequiredService<TimeProvider>().GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IResult> AcceptAsync(LocationIntake intake, LocationSource source, string number, CallLocation? location, bool routingAllowed, string? rejection, CancellationToken cancellationToken)
    {
        var result = await intake.AcceptAsync(source, number, location, routingAllowed, rejection, cancellationToken).ConfigureAwait(false);
        return result.Outcome switch
        {
            IntakeOutcome.Matched => Results.Json(new { status = "recorded", callId = result.CallId, reason = result.Reason }, statusCode: StatusCodes.Status202Accepted),
            IntakeOutcome.Held => Results.Json(new { status = "held", callId = (string?)null, reason = result.Reason }, statusCode: StatusCodes.Status202Accepted),
            _ => ApiProblem.Of(new ApiError(StatusCodes.Status422UnprocessableEntity, "stale", result.Reason)),
        };
    }

    private static IResult Malformed(LocationIntake intake, LocationSource source, string reason)
    {
        intake.Refused(source, 400, "malformed", reason);
        return ApiProblem.BadRequest(reason);
    }

    private static IResult TooLarge(LocationIntake intake, LocationSource source, long? length, int max, bool isPidf)
    {
        var key = isPidf ? "LocationIntake:MaxPidfBytes" : "LocationIntake:MaxAmlBytes";
        var reason = $"the body is {(length is { } l ? $"{l} bytes" : "longer")}, more than {key} {max}";
        intake.Refused(source, 413, "too_large", reason);
        return ApiProblem.Of(new ApiError(StatusCodes.Status413PayloadTooLarge, "too-large", reason));
    }

    /// <summary>Constant-time comparison of the bearer token (hashes first, so the length does not leak either).</summary>
    private static bool Authorised(HttpRequest request, string token)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal) || token.Length == 0) return false;
        var sent = SHA256.HashData(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim()));
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        return CryptographicOperations.FixedTimeEquals(sent, expected);
    }

    private static string Clip(string text) => new(text.Take(120).Where(c => !char.IsControl(c)).ToArray());

    private sealed record SmsBody(string? From, string? Text);
}
