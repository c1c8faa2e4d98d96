using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Routing.Calls.Ports;
using Routing.Ledger;
using LedgerStore = Routing.Ledger.Ledger;

namespace Routing.Bench.Micro;

/// <summary>
/// The ledger journal on SQLite in a temporary file, with the product's options (write-before-act
/// bound 250 ms, batches of up to 256 per transaction). Two shapes: many calls appending at once
/// (the writer batches them; throughput), and one call awaiting each record before acting (the
/// write-before-act latency a call pays per record). One operation = one event record.
/// </summary>
[BenchmarkCategory("Ledger")]
public class LedgerAppendBench
{
    private const int Burst = 1000;
    private readonly ValueTask[] pending = new ValueTask[Burst];
    private string directory = "";
    private LedgerStore ledger = null!;
    private const string CallId = "0199a0b4-0000-7000-8000-000000000112";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        directory = Path.Combine(Path.GetTempPath(), "routing-bench", "ledger-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var options = new LedgerOptions
        {
            Provider = LedgerProviders.Sqlite,
            ConnectionString = $"Data Source={Path.Combine(directory, "ledger.db")}",
            NodeId = "bench",
        };
        options.Spool.Directory = Path.Combine(directory, "spool");
        ledger = await LedgerFactory.CreateAsync(options, NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None);
        await ledger.Journal.CallArrivedAsync(new CallRecord(CallId, "1795486382.2", "+77271234567", "112", "112", TimeProvider.System.GetUtcNow()), CancellationToken.None);
    }

    [Benchmark(Description = "Ledger append, 1000 concurrent appends, per event", OperationsPerInvoke = Burst)]
    public async Task AppendBurst()
    {
        for (var i = 0; i < Burst; i++) pending[i] = ledger.Journal.AppendAsync(Event(), CancellationToken.None);
        for (var i = 0; i < Burst; i++) await pending[i];
    }

    [Benchmark(Description = "Ledger append, one awaited at a time (write-before-act), per event")]
    public ValueTask AppendAwaited() => ledger.Journal.AppendAsync(Event(), CancellationToken.None);

    /// <summary>What a routed call asks of the ledger (issue 11): its call row, one leg and 14 events, each awaited
    /// before the call acts on it, so every record is a commit of its own as at a low rate. The ids are made here
    /// (a few hundred bytes of the figure); the rest is the journal, the chain and the database.</summary>
    [Benchmark(Description = "Ledger, one routed call's 16 records awaited one by one (call, leg, 14 events), per call")]
    public async Task AppendCall()
    {
        var callId = Guid.CreateVersion7().ToString("D");
        var at = TimeProvider.System.GetUtcNow();
        await ledger.Journal.CallArrivedAsync(new CallRecord(callId, "1795486382.2", "+77271234567", "112", "112", at), CancellationToken.None);
        await ledger.Journal.LegPlannedAsync(new LegRecord(callId + "-1", callId, "1795486382.3", "fire", "almaty", "fire-almaty-1", "PJSIP/fire-almaty-1", 1, at), CancellationToken.None);
        for (var i = 0; i < CallEvents.Length; i++)
        {
            await ledger.Journal.AppendAsync(new CallEventRecord(callId, i is > 2 and < 10 ? callId + "-1" : null, at, CallEvents[i].Kind, CallEvents[i].Detail), CancellationToken.None);
        }
    }

    private static readonly (string Kind, string Detail)[] CallEvents =
    [
        ("state", "Arrived -> Answering"), ("state", "Answering -> Classifying"), ("classified", "fire (dialed 101)"),
        ("leg.planned", "fire-almaty-1"), ("leg.dialing", "PJSIP/fire-almaty-1"), ("state", "Classifying -> Dialing"),
        ("leg.answered", "fire-almaty-1"), ("bridge.created", "bridge-1"), ("state", "Dialing -> Connected"),
        ("leg.hungup", "normal clearing"), ("state", "Connected -> Ending"), ("bridge.destroyed", "bridge-1"),
        ("state", "Ending -> Ended"), (LedgerEventKinds.Outcome, "Completed"),
    ];

    private static CallEventRecord Event() => new(CallId, null, TimeProvider.System.GetUtcNow(), "state", "Dialing -> Connected");

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        var stats = ledger.Journal.Stats;
        await ledger.DisposeAsync();
        if (stats.Late > 0 || stats.Failures > 0)
            await Console.Error.WriteLineAsync($"bench: ledger benchmark had {stats.Late} late writes (past the 250 ms bound, still written) and {stats.Failures} failed batches");
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException ex)
        {
            await Console.Error.WriteLineAsync($"bench: could not delete {directory}: {ex.Message}");
        }
    }
}
