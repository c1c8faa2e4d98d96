using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Routing.Calls.Routing;
using Routing.Engine.Simulation;
using Routing.Simulator;

namespace Routing.Engine.Admin;

/// <summary>
/// In simulated mode, lets a person (or a script) place a particular call and break a particular
/// trunk while `make run` is going, e.g.
/// <c>curl -XPOST 127.0.0.1:9112/simulator/calls -d '{"callerNumber":"+77271234567","dialed":"112","digits":"21"}'</c>.
/// </summary>
internal static class SimulatorEndpoints
{
    /// <summary>The endpoint resources the routing configuration dials (region, national and
    /// call-taker trunks), in order.</summary>
    private static SortedSet<string> KnownTrunks(RoutingOptions routing) =>
        new(SimulatedTrunks.AllTrunks(routing).Select(t => SimulatedTrunks.Resource(t.Endpoint)), StringComparer.Ordinal);

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
        endpoints.MapPut("/simulator/trunks/{resource}", async (string resource, HttpRequest http, SimulatedAsterisk asterisk, IOptions<RoutingOptions> routing, CancellationToken cancellationToken) =>
        {
            var known = KnownTrunks(routing.Value);
            if (!known.Contains(resource))
            {
                // A typo would otherwise "break" a trunk that no call ever dials, and the test run
                // would show nothing.
                return Results.NotFound(new
                {
                    message = $"trunk '{CallerText.CleanText(resource, 80)}' is not in the routing configuration; known trunks: {string.Join(", ", known)}",
                });
            }

            var (request, problem) = await SimulatedTrunkRequest.ReadAsync(http, cancellationToken).ConfigureAwait(false);
            if (request?.ToBehavior(out problem) is not { } behavior)
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
/// <param name="TalkSeconds">Once put through to an agency, the caller talks this long and hangs up (counted from the
/// first bridge, so a slow engine delays the end of the call but cannot turn it into an abandoned one).</param>
/// <param name="Geolocation">The INVITE's <c>Geolocation</c> header, e.g. <c>&lt;https://lis.example/loc/1&gt;</c> (read by the engine over ARI).</param>
internal sealed record SimulatedCallRequest(
    string? CallerNumber,
    string? Dialed = "112",
    string? CallerName = "",
    string? Digits = "",
    int DigitGapMs = 1500,
    double? HangUpAfterSeconds = 60,
    string? Context = "from-caller",
    string? Geolocation = null,
    double? TalkSeconds = null)
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

        if (Geolocation is { } g && (g.Length > 512 || g.Any(char.IsControl)))
        {
            return "geolocation must be at most 512 characters without control characters";
        }

        if (TalkSeconds is < 0 or > 3600)
        {
            return "talkSeconds must be between 0 and 3600";
        }

        return HangUpAfterSeconds is < 0 or > 3600 ? "hangUpAfterSeconds must be between 0 and 3600" : null;
    }

    public CallScript ToScript() => new(
        CallerNumber!,
        string.IsNullOrEmpty(Dialed) ? "112" : Dialed,
        CallerName ?? "",
        (Digits ?? "").Select(d => new DtmfStep(d, TimeSpan.FromMilliseconds(DigitGapMs))).ToList(),
        HangUpAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
        Context: string.IsNullOrEmpty(Context) ? "from-caller" : Context,
        TalkFor: TalkSeconds is { } talk ? TimeSpan.FromSeconds(talk) : null,
        SipHeaders: string.IsNullOrEmpty(Geolocation) ? null : new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Geolocation"] = Geolocation });
}

/// <param name="Behavior">answer, busy, noanswer or fail.</param>
/// <param name="AfterMs">How long the trunk takes to do it, 0–600000 ms.</param>
/// <param name="HangUpAfterSeconds">For answer: the agency hangs up after this long.</param>
internal sealed record SimulatedTrunkRequest(string? Behavior, int AfterMs = 1000, double? HangUpAfterSeconds = null)
{
    private const int MaxAfterMs = 600_000;

    private const string Example = """{"behavior":"busy","afterMs":300}""";

    /// <summary>Reads the body, naming the field when one has the wrong type.</summary>
    public static async Task<(SimulatedTrunkRequest? Request, string? Problem)> ReadAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        try
        {
            var request = await JsonSerializer.DeserializeAsync<SimulatedTrunkRequest>(http.Body, JsonSerializerOptions.Web, cancellationToken).ConfigureAwait(false);
            return request is null ? (null, $"body must be a JSON object such as {Example}") : (request, null);
        }
        catch (JsonException ex)
        {
            var field = ex.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;
            return (null, field is null
                ? $"body must be a JSON object such as {Example}"
                : $"{CallerText.CleanText(field, 40)} has the wrong type (e.g. {Example})");
        }
    }

    public TrunkBehavior? ToBehavior(out string? problem)
    {
        problem = null;
        if (AfterMs is < 0 or > MaxAfterMs)
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"afterMs must be between 0 and {MaxAfterMs} (got {AfterMs})");
            return null;
        }

        if (HangUpAfterSeconds is { } seconds && (double.IsNaN(seconds) || seconds is < 0 or > 86_400))
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"hangUpAfterSeconds must be between 0 and 86400 (got {seconds})");
            return null;
        }

        var after = TimeSpan.FromMilliseconds(AfterMs);
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
                problem = $"behavior must be answer, busy, noanswer or fail (got '{CallerText.CleanText(Behavior, 40)}')";
                return null;
        }
    }
}
