using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Routing.Simulator;

namespace Routing.Engine.Admin;

/// <summary>
/// In simulated mode, lets a person (or a script) place a particular call and break a particular
/// trunk while `make run` is going, e.g.
/// <c>curl -XPOST 127.0.0.1:9112/simulator/calls -d '{"callerNumber":"+77271234567","dialed":"112","digits":"21"}'</c>.
/// </summary>
internal static class SimulatorEndpoints
{
    public static IEndpointRouteBuilder MapSimulatorEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/simulator/calls", async (SimulatedCallRequest request, SimulatedAsterisk asterisk, CancellationToken cancellationToken) =>
        {
            if (request.Validate() is { } problem)
            {
                return Results.BadRequest(new { message = problem });
            }

            var call = await asterisk.PlaceCallAsync(request.ToScript(), cancellationToken).ConfigureAwait(false);
            return Results.Accepted($"/simulator/calls/{call.ChannelId}", new { channelId = call.ChannelId });
        });
        endpoints.MapPut("/simulator/trunks/{resource}", (string resource, SimulatedTrunkRequest request, SimulatedAsterisk asterisk) =>
        {
            if (request.ToBehavior(out var problem) is not { } behavior)
            {
                return Results.BadRequest(new { message = problem });
            }

            asterisk.SetTrunk(resource, behavior);
            return Results.NoContent();
        });
        endpoints.MapGet("/simulator/stats", (SimulatedAsterisk asterisk) => Results.Json(asterisk.Stats));
        endpoints.MapSimulatorCallTakerEndpoints();
        return endpoints;
    }
}

/// <param name="Digits">Keys the caller presses after answer, one every <paramref name="DigitGapMs"/>.</param>
/// <param name="Context">Dialplan context: from-caller (default), from-sos, from-app.</param>
internal sealed record SimulatedCallRequest(
    string? CallerNumber,
    string? Dialed = "112",
    string? CallerName = "",
    string? Digits = "",
    int DigitGapMs = 1500,
    double? HangUpAfterSeconds = 60,
    string? Context = "from-caller")
{
    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(CallerNumber))
        {
            return "callerNumber is required";
        }

        if (Digits is not null && Digits.Any(d => !(char.IsAsciiDigit(d) || d is '*' or '#')))
        {
            return "digits may hold only 0-9, * and #";
        }

        if (DigitGapMs is < 0 or > 60_000)
        {
            return "digitGapMs must be between 0 and 60000";
        }

        return HangUpAfterSeconds is < 0 or > 3600 ? "hangUpAfterSeconds must be between 0 and 3600" : null;
    }

    public CallScript ToScript() => new(
        CallerNumber!,
        string.IsNullOrEmpty(Dialed) ? "112" : Dialed,
        CallerName ?? "",
        (Digits ?? "").Select(d => new DtmfStep(d, TimeSpan.FromMilliseconds(DigitGapMs))).ToList(),
        HangUpAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
        Context: string.IsNullOrEmpty(Context) ? "from-caller" : Context);
}

/// <param name="Behavior">answer, busy, noanswer or fail.</param>
internal sealed record SimulatedTrunkRequest(string? Behavior, int AfterMs = 1000, double? HangUpAfterSeconds = null)
{
    public TrunkBehavior? ToBehavior(out string? problem)
    {
        problem = null;
        var after = TimeSpan.FromMilliseconds(Math.Clamp(AfterMs, 0, 600_000));
        switch (Behavior?.ToLowerInvariant())
        {
            case "answer":
                return TrunkBehavior.Answers(after, HangUpAfterSeconds is { } s ? TimeSpan.FromSeconds(s) : null);
            case "busy":
                return TrunkBehavior.Busy(after);
            case "noanswer":
                return TrunkBehavior.NoAnswer;
            case "fail":
                return TrunkBehavior.Fails(after);
            default:
                problem = string.Create(CultureInfo.InvariantCulture, $"behavior must be answer, busy, noanswer or fail (got '{Behavior}')");
                return null;
        }
    }
}
