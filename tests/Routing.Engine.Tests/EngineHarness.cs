using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Routing.Engine.Hosting;
using Routing.Ledger;
using Routing.Simulator;

namespace Routing.Engine.Tests;

/// <summary>
/// A simulated Asterisk and an engine connected to it over real loopback sockets, with the shipped
/// routing configuration, a fresh SQLite ledger, and timers shortened so a whole call takes about
/// a second. Nothing here is mocked: ARI REST, the event websocket and the ledger are the real ones.
/// </summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    private readonly string directory;

    private readonly EngineConfiguration configuration;

    private EngineHarness(SimulatedAsterisk asterisk, RunningEngine engine, EngineConfiguration configuration, string directory)
    {
        Asterisk = asterisk;
        Engine = engine;
        this.configuration = configuration;
        this.directory = directory;
    }

    public SimulatedAsterisk Asterisk { get; }

    public EngineConfiguration Configuration => configuration;

    public RunningEngine Engine { get; private set; }

    /// <summary>Stops the engine as a crash would leave things (calls in progress never finish),
    /// and starts a new one on the same ledger.</summary>
    public async Task RestartEngineAsync(Func<Task>? whileDown = null)
    {
        await Engine.DisposeAsync();
        await WaitUntilAsync(() => Asterisk.ConnectedEventSockets == 0, "the old engine's websocket to close");
        if (whileDown is not null)
        {
            await whileDown();
        }

        Engine = await RunningEngine.StartAsync(configuration, CancellationToken.None, logging: b => b.SetMinimumLevel(LogLevel.Warning), services: s => s.AddSingleton(Asterisk));
        await WaitUntilAsync(() => Asterisk.ConnectedEventSockets > 0, "the new engine's ARI websocket to connect");
    }

    /// <summary>Where the admin endpoints (/metrics, /health, /calls) listen: a free loopback port.</summary>
    public string AdminUrl => Engine.Host.Urls.First();

    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60); // a bound, not a speed: a busy 2-core box runs a call many times slower

    public static async Task<EngineHarness> StartAsync(
        Action<SimulatorOptions>? simulator = null,
        IDictionary<string, string?>? settings = null,
        CancellationToken cancellationToken = default,
        Func<SimulatedAsterisk, EngineConfiguration, Task>? beforeEngine = null)
    {
        var simulatorOptions = new SimulatorOptions
        {
            DefaultPromptDuration = TimeSpan.FromMilliseconds(40),
            UnknownEndpointBehavior = TrunkBehavior.Answers(TimeSpan.FromMilliseconds(50)),
        };
        simulator?.Invoke(simulatorOptions);
        var asterisk = await SimulatedAsterisk.StartAsync(simulatorOptions, cancellationToken);

        var directory = Path.Combine(Path.GetTempPath(), "routing-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var overrides = new Dictionary<string, string?>
        {
            ["Asterisk:Mode"] = "Real",
            ["Asterisk:Ari:ReconnectMinDelay"] = "00:00:00.050",
            ["Asterisk:Ari:ReconnectMaxDelay"] = "00:00:00.200",
            ["Asterisk:SweepInterval"] = "00:00:00.500",
            ["Admin:Urls"] = "http://127.0.0.1:0",
            ["Ledger:Provider"] = "sqlite",
            ["Ledger:ConnectionString"] = $"Data Source={Path.Combine(directory, "ledger.db")}",
            ["Ledger:Spool:Directory"] = Path.Combine(directory, "spool"),
            ["Routing:Timers:MenuDigit"] = "00:00:00.400",
            ["Routing:Timers:Prompt"] = "00:00:02",
            ["Routing:Timers:Queue"] = "00:00:02",

            // The call-taker centre has its own tests (CentreEndToEndTests); the rest pin down routing
            // without it, so 112 calls take the menus and silent calls ring the call-taker trunks.
            [EngineConfiguration.CentreEnabledKey] = "false",

            // A busy test box must not make the engine shed the callers a test is about; the overload
            // tests (OverloadEndToEndTests) turn it on with their own thresholds.
            ["Overload:Enabled"] = "false",
        };
        AsteriskAddress.Of(asterisk, simulatorOptions).WriteTo(overrides);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            overrides[key] = value;
        }

        try
        {
            var configuration = EngineConfiguration.Bind(EngineConfiguration.Load(null, overrides));
            if (beforeEngine is not null)
            {
                await beforeEngine(asterisk, configuration);
            }

            var engine = await RunningEngine.StartAsync(configuration, cancellationToken, logging: b => b.SetMinimumLevel(LogLevel.Warning), services: s => s.AddSingleton(asterisk));
            var harness = new EngineHarness(asterisk, engine, configuration, directory);
            await harness.WaitUntilAsync(() => asterisk.ConnectedEventSockets > 0, "the engine's ARI websocket to connect");
            if (configuration.Asterisk.ObserveAmi)
            {
                // AMI replays nothing: a call placed before the engine's AMI login is never seen there.
                await harness.WaitUntilAsync(() => asterisk.AmiEventListeners > 0, "the engine's AMI session to log in with events on");
            }
            return harness;
        }
        catch
        {
            await asterisk.DisposeAsync();
            throw;
        }
    }

    /// <summary>Places a call and waits until the simulator says the caller's channel is gone.</summary>
    public async Task<(SimulatedCall Call, CallEnd End)> CallAsync(CallScript script)
    {
        var call = await Asterisk.PlaceCallAsync(script, CancellationToken.None);
        var end = await call.Ended.WaitAsync(CallTimeout);
        return (call, end);
    }

    /// <summary>Waits until the ledger has committed every record the engine wrote so far. The engine acts once a record
    /// is in its journal (durable in the spool), and the database commit follows a moment later: on a busy box a test that
    /// reads a story right after the API shows a change must wait for this first.</summary>
    public Task LedgerCaughtUpAsync() =>
        WaitUntilAsync(() => Engine.Journal.Stats.Pending == 0, $"the ledger to commit what the engine wrote ({Engine.Journal.Stats})");

    /// <summary>Waits until the ledger holds the outcome of the call whose caller channel is given.</summary>
    public async Task<LedgerView> WaitForOutcomeAsync(string callerChannelId)
    {
        CallHistory? history = null;
        await WaitUntilAsync(
            async () =>
            {
                var calls = await Engine.Ledger.FindByCallerChannelAsync(callerChannelId, CancellationToken.None);
                history = calls.Count == 0 ? null : (await Engine.Ledger.GetCallAsync(calls[0].Call.CallId, CancellationToken.None));
                return history is { IsOpen: false };
            },
            $"the ledger to record the outcome of caller channel {callerChannelId}");
        return LedgerView.From(history!);
    }

    public Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        WaitUntilAsync(() => Task.FromResult(condition()), what, timeout);

    /// <summary>Polls an asynchronous condition. The engine runs in this process: a condition that blocked a pool
    /// thread on its own HTTP or ledger request (sync over async) starved the engine's server of threads on a busy
    /// box, and a plain GET /api/centre then took over 20 s.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? CallTimeout;
        var started = TimeProvider.System.GetTimestamp();
        while (!await condition())
        {
            if (TimeProvider.System.GetElapsedTime(started) > limit)
            {
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"Timed out after {limit.TotalSeconds:0.#} s waiting for {what}."));
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        await Asterisk.DisposeAsync();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment on some systems; the temp dir is disposable.
        }
    }
}
