using System.Globalization;
using Microsoft.Extensions.Logging;
using Routing.Engine.Hosting;

namespace Routing.Bench.Load;

/// <summary>
/// The real engine host (RunningEngine, as `routing run` and the integration tests start it) pointed
/// at a simulator, with a fresh SQLite ledger in a temporary directory, the admin API on a loopback
/// port of its own, and the menu timers relaxed so a loaded box does not turn slow digits into
/// timeouts. Everything else is the shipped configuration.
/// </summary>
public sealed class EngineUnderTest : IAsyncDisposable
{
    private readonly string directory;
    private readonly ILoggerFactory ledgerLogging;

    private EngineUnderTest(RunningEngine engine, WarningCounter warnings, ILoggerFactory ledgerLogging, string directory)
    {
        Engine = engine;
        Warnings = warnings;
        this.ledgerLogging = ledgerLogging;
        this.directory = directory;
    }

    public RunningEngine Engine { get; }

    public WarningCounter Warnings { get; }

    /// <summary>The admin API's address (Admin:Urls asks for any free loopback port).</summary>
    public Uri AdminUrl => new(Engine.Host.Urls.First());

    public static async Task<EngineUnderTest> StartAsync(AsteriskAddress simulator, AriRestTransport transport, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Path.GetTempPath(), "routing-bench", "engine-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var overrides = new Dictionary<string, string?>
        {
            ["Asterisk:Mode"] = "Real",
            ["Asterisk:RestTransport"] = transport.ToString(),
            ["Admin:Urls"] = "http://127.0.0.1:0",
            ["Ledger:Provider"] = "sqlite",
            ["Ledger:ConnectionString"] = $"Data Source={Path.Combine(directory, "ledger.db")}",
            ["Ledger:Spool:Directory"] = Path.Combine(directory, "spool"),
            ["Routing:Timers:MenuDigit"] = "00:00:03",
            ["Routing:Timers:Prompt"] = "00:00:03",

            // The scripted mix takes the 112 menus to an agency: without this the shipped call-taker centre
            // (no call-takers in the simulator) gave every 112 caller to the fallback and the figures measured that.
            ["Centre:Enabled"] = "false",

            // Routing cost is measured with every caller routed; shedding is shown by OverloadEndToEndTests.
            ["Overload:Enabled"] = "false",
        };
        simulator.WriteTo(overrides);

        var warnings = new WarningCounter();
        var ledgerLogging = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning).AddProvider(warnings));
        try
        {
            var configuration = EngineConfiguration.Bind(EngineConfiguration.Load(null, overrides));
            var engine = await RunningEngine.StartAsync(configuration, cancellationToken,
                logging: b => b.SetMinimumLevel(LogLevel.Warning).AddProvider(warnings),
                loggerFactory: ledgerLogging);
            return new EngineUnderTest(engine, warnings, ledgerLogging, directory);
        }
        catch
        {
            ledgerLogging.Dispose();
            TryDelete(directory);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        ledgerLogging.Dispose();
        TryDelete(directory);
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException ex)
        {
            Console.Error.WriteLine($"bench: could not delete {directory}: {ex.Message}");
        }
    }
}
