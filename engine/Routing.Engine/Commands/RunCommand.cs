using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Routing.Engine.Console;
using Routing.Engine.Hosting;
using Routing.Engine.Metrics;
using Routing.Engine.Simulation;
using Routing.Simulator;
using Spectre.Console;

namespace Routing.Engine.Commands;

/// <summary>
/// `routing run`: with the default configuration (Asterisk:Mode=Simulated) it starts an in-process
/// simulated Asterisk on loopback, a stream of synthetic callers and a live dashboard; with
/// Asterisk:Mode=Real (or --real) the same binary drives the Asterisk at Asterisk:Ari:BaseUrl.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "An extra JSON settings file, applied over appsettings.json." };
        var real = new Option<bool>("--real") { Description = "Drive a real Asterisk (Asterisk:Ari:*) instead of the simulator." };
        var rate = new Option<double?>("--calls-per-second") { Description = "Synthetic calls per second (simulated mode)." };
        var duration = new Option<TimeSpan?>("--duration") { Description = "Stop placing synthetic calls after this long, e.g. 00:01:00." };
        var maxCalls = new Option<int?>("--max-calls") { Description = "Stop placing synthetic calls after this many." };
        var plain = new Option<bool>("--plain") { Description = "Print a summary line every few seconds instead of the live table." };

        var command = new Command("run", "Run the engine (default: against the simulated Asterisk with synthetic callers).")
        {
            config, real, rate, duration, maxCalls, plain,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(config), parse.GetValue(real), parse.GetValue(rate), parse.GetValue(duration), parse.GetValue(maxCalls), parse.GetValue(plain), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string? extraFile, bool real, double? rate, TimeSpan? duration, int? maxCalls, bool plain, CancellationToken cancellationToken)
    {
        var overrides = new Dictionary<string, string?>();
        if (real)
        {
            overrides["Asterisk:Mode"] = nameof(AsteriskMode.Real);
        }

        Put(overrides, "Simulation:CallsPerSecond", rate?.ToString(CultureInfo.InvariantCulture));
        Put(overrides, "Simulation:Duration", duration?.ToString("c", CultureInfo.InvariantCulture));
        Put(overrides, "Simulation:MaxCalls", maxCalls?.ToString(CultureInfo.InvariantCulture));

        try
        {
            var root = EngineConfiguration.Load(extraFile, overrides);
            if (IsSimulated(root))
            {
                // The simulator's address and credentials are only known once it runs; until then the
                // ARI settings must still validate, so they point at it with this run's credentials.
                overrides["Asterisk:Ari:User"] = SimulatorCredentials.User;
                overrides["Asterisk:Ari:Password"] = SimulatorCredentials.Password;
                overrides["Asterisk:Ami:User"] = SimulatorCredentials.User;
                overrides["Asterisk:Ami:Password"] = SimulatorCredentials.Password;

                // The dashboard is the demo's output; per-call log lines would scroll it away.
                overrides.TryAdd("Logging:LogLevel:Default", "Warning");
                root = EngineConfiguration.Load(extraFile, overrides);
            }

            var preliminary = EngineConfiguration.Bind(root);

            // Before the simulator starts: a second `make run` should say why in one line.
            AdminPort.EnsureFree(preliminary.Admin.Urls);
            var simulatorOptions = preliminary.Asterisk.Mode == AsteriskMode.Simulated ? SimulatorOptionsFor(preliminary) : null;
            await using var simulator = simulatorOptions is null
                ? null
                : await SimulatedAsterisk.StartAsync(simulatorOptions, cancellationToken).ConfigureAwait(false);
            if (simulator is not null)
            {
                AsteriskAddress.Of(simulator, simulatorOptions!).WriteTo(overrides);
                root = EngineConfiguration.Load(extraFile, overrides);
            }

            var configuration = EngineConfiguration.Bind(root);
            var dashboard = plain ? AnsiConsole.Create(new AnsiConsoleSettings { Interactive = InteractionSupport.No }) : AnsiConsole.Console;
            if (plain || System.Console.IsOutputRedirected)
            {
                dashboard.Profile.Width = 240;
            }

            await using var engine = await RunningEngine.StartAsync(
                configuration,
                cancellationToken,
                services: s =>
                {
                    if (simulator is not null)
                    {
                        s.AddSingleton(simulator);
                        s.AddSingleton<SyntheticCallGenerator>();
                        s.AddHostedService(sp => sp.GetRequiredService<SyntheticCallGenerator>());
                        if (configuration.Centre is not null)
                        {
                            s.AddHostedService<SyntheticCallTakers>();
                        }

                        if (configuration.Text.Enabled)
                        {
                            s.AddHostedService<SyntheticTexters>();
                        }

                        s.AddSingleton(dashboard);
                        s.AddHostedService<LiveDashboard>();
                    }
                }).ConfigureAwait(false);

            System.Console.Error.WriteLine(simulator is null
                ? $"routing: driving Asterisk at {configuration.Ari.BaseUrl}; admin on {configuration.Admin.Urls} (/metrics, /health, /calls, operator API /api, live events /api/events). Ctrl+C stops."
                : $"routing: simulated Asterisk at {simulator.AriBaseUrl}; admin on {configuration.Admin.Urls} (/metrics, /health, /calls, operator API /api, live events /api/events). Ctrl+C stops.");
            System.Console.Error.WriteLine(ConsoleAddress(configuration));
            if (simulator is not null && await StreamEndedFirstAsync(engine, cancellationToken).ConfigureAwait(false) is { } placed)
            {
                await FinishBoundedRunAsync(engine, simulator, placed, configuration.Simulation, cancellationToken).ConfigureAwait(false);
                return await ExitCodeAsync(engine).ConfigureAwait(false);
            }

            await engine.Host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return await ExitCodeAsync(engine).ConfigureAwait(false);
        }
        catch (ConfigurationException ex)
        {
            await System.Console.Error.WriteLineAsync("routing: " + ex.Message).ConfigureAwait(false);
            return 2;
        }
        catch (AdminPortInUseException ex)
        {
            await System.Console.Error.WriteLineAsync("routing: " + ex.Message).ConfigureAwait(false);
            return 2;
        }
    }

    /// <summary>0 for a stop someone asked for; 1, with each failed service named on stderr, when the host
    /// stopped because a background service failed (a supervisor restarts only a non-zero exit).</summary>
    private static async Task<int> ExitCodeAsync(RunningEngine engine)
    {
        var faults = engine.Faults;
        foreach (var fault in faults)
        {
            await System.Console.Error.WriteLineAsync("routing: stopped because " + fault).ConfigureAwait(false);
        }

        return faults.Count == 0 ? 0 : 1;
    }

    /// <summary>The number of calls placed when --duration/--max-calls ended the synthetic stream
    /// before anyone stopped the run; null when the run was stopped (Ctrl+C) first.</summary>
    private static async Task<int?> StreamEndedFirstAsync(RunningEngine engine, CancellationToken cancellationToken)
    {
        var streamEnded = engine.Host.Services.GetRequiredService<SyntheticCallGenerator>().StreamEnded;
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStopping = engine.Host.Lifetime.ApplicationStopping.Register(() => stopped.TrySetResult());
        using var onCancel = cancellationToken.Register(() => stopped.TrySetResult());
        return await Task.WhenAny(streamEnded, stopped.Task).ConfigureAwait(false) == streamEnded ? await streamEnded.ConfigureAwait(false) : null;
    }

    /// <summary>The stream is over: let the calls in flight end (bounded by Simulation:DrainTimeout,
    /// Ctrl+C ends the wait), stop the engine, and say how the run went.</summary>
    private static async Task FinishBoundedRunAsync(RunningEngine engine, SimulatedAsterisk simulator, int placed, SimulationOptions simulation, CancellationToken cancellationToken)
    {
        var registry = engine.Calls;
        var tally = engine.Host.Services.GetRequiredService<CallTally>();
        int Live() => Math.Max(registry.Count, simulator.LiveChannelIds.Count);

        await System.Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"routing: synthetic stream over after {placed} calls; waiting up to {simulation.DrainTimeout} (Simulation:DrainTimeout) for the {Live()} channels in flight to end. Ctrl+C stops now.")).ConfigureAwait(false);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, engine.Host.Lifetime.ApplicationStopping);
        var drained = await CallsInFlight.WaitUntilNoneAsync(Live, simulation.DrainTimeout, TimeProvider.System, stopping.Token).ConfigureAwait(false);
        var left = registry.Count;

        // Stopped before the summary, so that calls handed to the dialplan on the way out are counted.
        await engine.StopAsync().ConfigureAwait(false);
        if (!drained)
        {
            await System.Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"routing: {left} calls were still in the engine when the run stopped: waiting callers went to the dialplan fallback, bridged ones stayed bridged")).ConfigureAwait(false);
        }

        await System.Console.Out.WriteLineAsync($"routing: {placed} synthetic calls placed; {RunSummary.Line(registry, tally)}").ConfigureAwait(false);
    }

    /// <summary>Where a person opens the operator console, and whether anyone can sign in to it.</summary>
    internal static string ConsoleAddress(EngineConfiguration configuration)
    {
        var first = configuration.Admin.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
        var url = first.Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal).Replace("://+", "://127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        return configuration.SignIn.Enabled
            ? $"routing: operator console on {url}/console/ ({configuration.SignIn.Users.Count} users may sign in)"
            : $"routing: operator console on {url}/console/ (no SignIn:Users configured: nobody can sign in; see README)";
    }

    private static SimulatorOptions SimulatorOptionsFor(EngineConfiguration configuration)
    {
        return new SimulatorOptions
        {
            AriUser = SimulatorCredentials.User,
            AriPassword = SimulatorCredentials.Password,
            AmiUser = SimulatorCredentials.User,
            AmiPassword = SimulatorCredentials.Password,
            Trunks = SimulatedTrunks.For(configuration.Routing, configuration.Simulation.Seed),
            CallTakers = SimulatedCallTakerPhones.For(configuration.Centre, configuration.Simulation.Seed),

            // The text gateways and agency text desks the engine subscribes to (pjsip.conf's message endpoints).
            TextEndpoints = SimulatedTextEndpoints.For(configuration.Text),

            // The dialplan fallback dials agency endpoints by name (dialplans/extensions.conf); in
            // the demo every such endpoint answers, as the real agencies' fallback lines would.
            UnknownEndpointBehavior = TrunkBehavior.Answers(TimeSpan.FromSeconds(2)),
            SoundDurations = PromptSounds.Durations(RepositoryPaths.Prompts, configuration.Routing.Ivr.PromptBase),

            // As the shipped dialplan: TIMEOUT(absolute)=DEADMAN_SECONDS before Stasis(), which check-config
            // holds equal to Asterisk:DeadMansSwitch.
            Dialplan = { AbsoluteTimeout = configuration.Asterisk.DeadMansSwitch },
        };
    }

    private static bool IsSimulated(Microsoft.Extensions.Configuration.IConfiguration root) =>
        !Enum.TryParse<AsteriskMode>(root["Asterisk:Mode"], ignoreCase: true, out var mode) || mode == AsteriskMode.Simulated;

    private static void Put(Dictionary<string, string?> overrides, string key, string? value)
    {
        if (value is not null)
        {
            overrides[key] = value;
        }
    }
}
