using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Routing.Calls.Centre;
using Routing.Engine.Centre;
using Routing.Engine.Hosting;
using Routing.Engine.Operators;

namespace Routing.Engine.Simulation;

/// <summary>
/// The call-takers of <c>make run</c>: one synthetic person per configured position logs in over the
/// operator API (the same HTTP routes a console uses), and works each call its phone answers: talks a few
/// seconds, classifies it — mostly not for the police ("8 calls of 10 are not for the police"): many are
/// not emergencies at all — then warm-transfers real emergencies to their agency and leaves when the agency
/// answers, or hangs up on the rest. Now and then one takes a short break; a position the centre paused
/// after an unanswered offer resumes after a while. Seeded, so a run can be repeated.
/// </summary>
internal sealed class SyntheticCallTakers(
    CentreService centre,
    CentreEventHub hub,
    IOptions<SimulationOptions> simulation,
    AdminOptions admin,
    TimeProvider time,
    ILogger<SyntheticCallTakers> logger,
    SignIn.ConsoleSessions? sessions = null) : BackgroundService
{
    private static readonly string[] Users = ["aigerim", "boris", "dana", "yerlan", "madina", "sergey", "aliya", "timur", "zhanna", "ruslan", "saule", "oleg", "asel", "nurlan", "irina", "daulet"];

    private readonly Random random = new(simulation.Value.Seed + 7);
    private readonly Dictionary<string, string> userOf = new(StringComparer.OrdinalIgnoreCase);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> working = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> tokens = new(StringComparer.OrdinalIgnoreCase);
    private OperatorApiRobot? api;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var client = new HttpClient { BaseAddress = new Uri(AdminBase(admin.Urls)), Timeout = TimeSpan.FromSeconds(10) };
        api = new OperatorApiRobot(client, tokens, logger);
        using var subscription = hub.Subscribe(_ => true);
        try
        {
            var positions = centre.Options.Positions.Keys.Skip(Math.Max(0, simulation.Value.FreePositions)).ToList();
            for (var i = 0; i < positions.Count; i++)
            {
                userOf[positions[i]] = i < Users.Length ? Users[i] : $"calltaker{i + 1}";
                if (sessions?.SignInTrusted(new Operators.OperatorIdentity(userOf[positions[i]], Operators.OperatorRole.CallTaker)) is { } token)
                {
                    // With console sign-in on, the header is not believed: the in-process robots get sessions directly.
                    tokens[userOf[positions[i]]] = token;
                }

                await api.LoginAsync(userOf[positions[i]], positions[i], time, stoppingToken).ConfigureAwait(false);
            }

            await foreach (var numbered in subscription.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                if (numbered.Event.Data is CallTakerDto callTaker)
                {
                    OnCallTaker(callTaker, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void OnCallTaker(CallTakerDto callTaker, CancellationToken cancellationToken)
    {
        if (!userOf.TryGetValue(callTaker.Position, out var user))
        {
            return;
        }

        if (callTaker.State == nameof(CallTakerState.OnCall) && callTaker.CallId is { } callId && working.TryAdd(callId, true))
        {
            var plan = NextPlan();
            _ = WorkCallAsync(user, callId, plan, cancellationToken);
        }
        else if (callTaker.State == nameof(CallTakerState.Paused))
        {
            _ = ResumeLaterAsync(user, callTaker.Position, TimeSpan.FromSeconds(random.Next(10, 30)), cancellationToken);
        }
        else if (callTaker.State == nameof(CallTakerState.WrapUp) && random.NextDouble() < 0.05)
        {
            _ = api!.PostAsync(user, $"/api/calltakers/{callTaker.Position}/pause", new { reason = "break" }, cancellationToken);
        }
    }

    private sealed record Plan(TimeSpan Talk, string Kind, string? Agency, string? IncidentType, bool Warm);

    /// <summary>What the call turns out to be, drawn once per call (the random generator is used only here,
    /// on the event loop).</summary>
    private Plan NextPlan()
    {
        var talk = TimeSpan.FromSeconds(random.Next(3, 9));
        var roll = random.NextDouble();
        return roll switch
        {
            < 0.45 => new Plan(talk, "nonEmergency", null, "information", false),
            < 0.50 => new Plan(talk, "prank", null, null, false),
            < 0.53 => new Plan(talk, "silent", null, null, false),
            < 0.70 => new Plan(talk, "emergency", "ambulance", "medical", random.NextDouble() < 0.85),
            < 0.82 => new Plan(talk, "emergency", "fire", "fire", random.NextDouble() < 0.85),
            < 0.85 => new Plan(talk, "emergency", "gas", "gas leak", true),
            _ => new Plan(talk, "emergency", "police", "theft", random.NextDouble() < 0.85),
        };
    }

    private async Task WorkCallAsync(string user, string callId, Plan plan, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(plan.Talk, time, cancellationToken).ConfigureAwait(false);
            if (!await api!.PostAsync(user, $"/api/calls/{callId}/classify", new { kind = plan.Kind, agency = plan.Agency, incidentType = plan.IncidentType }, cancellationToken).ConfigureAwait(false))
            {
                return; // the caller hung up meanwhile
            }

            if (plan.Agency is null)
            {
                await api!.PostAsync(user, $"/api/calls/{callId}/hangup", new { reason = plan.Kind }, cancellationToken).ConfigureAwait(false);
                return;
            }

            await api!.PostAsync(user, $"/api/calls/{callId}/transfer", new { agency = plan.Agency, mode = plan.Warm ? "warm" : "blind" }, cancellationToken).ConfigureAwait(false);
            if (!plan.Warm)
            {
                return;
            }

            // Stay with the caller until the agency answers (or the transfer fails), then leave.
            for (var i = 0; i < 120; i++)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken).ConfigureAwait(false);
                var state = await api!.TransferStateAsync(user, callId, cancellationToken).ConfigureAwait(false);
                if (state == "answered")
                {
                    await api!.PostAsync(user, $"/api/calls/{callId}/transfer/complete", null, cancellationToken).ConfigureAwait(false);
                    return;
                }

                if (state is null or "failed" or "ended" or "cancelled")
                {
                    // Nobody answered: the caller is still here; hand it back to the queue for another try.
                    await api!.PostAsync(user, $"/api/calls/{callId}/requeue", new { reason = $"transfer {state ?? "gone"}" }, cancellationToken).ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or OperationCanceledException)
        {
            LogMessages.SyntheticCallTakerFailed(logger, user, ex.Message);
        }
        finally
        {
            working.TryRemove(callId, out _);
        }
    }

    private async Task ResumeLaterAsync(string user, string position, TimeSpan after, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(after, time, cancellationToken).ConfigureAwait(false);
            await api!.PostAsync(user, $"/api/calltakers/{position}/resume", null, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The first of Admin:Urls, with a wildcard host made loopback (the API trusts the header from loopback only).</summary>
    internal static string AdminBase(string urls)
    {
        var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
        return first.Replace("://*", "://127.0.0.1", StringComparison.Ordinal).Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal);
    }
}
