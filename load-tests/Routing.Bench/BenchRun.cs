using System.Globalization;
using Routing.Bench.Centre;
using Routing.Bench.Load;
using Routing.Bench.Micro;
using Routing.Bench.Report;
using Routing.Engine.Hosting;

namespace Routing.Bench;

/// <summary>
/// The whole of <c>make bench</c>: the in-process load run, the Http-vs-WebSocket runs with the
/// simulator in a child process, then the micro-benchmarks; the report is printed at the end, in one
/// piece, on stdout (progress goes to stderr). Exit code 1 if any call was lost or stuck, a run
/// failed, or a benchmark produced no figure.
/// </summary>
public static class BenchRun
{
    public static async Task<int> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var failures = new List<string>();
        var sections = new List<string>();
        var results = new List<LoadResult>();

        if (options.Load)
        {
            var result = await TryRunAsync(new LoadRunSpec("in-process load", options.Transport, SimulatorInChild: false,
                options.Calls, options.Rate, options.EffectiveTimeLimit, options.WarmUpCalls), failures, cancellationToken);
            if (result is not null)
            {
                results.Add(result);
                sections.Add(LoadReport.Write(result));
            }
        }

        if (options.TransportComparison)
        {
            var (http, webSocket) = await CompareTransportsAsync(options, failures, cancellationToken);
            results.AddRange(http.Runs.Concat(webSocket.Runs));
            sections.Add(TransportReport.Write(http, webSocket));
            // One full account per transport; further rounds only feed the comparison's means and spread.
            sections.AddRange(new[] { http, webSocket }.Select(s => s.Runs.FirstOrDefault(r => r.Ran)).OfType<LoadResult>().Select(LoadReport.Write));
        }

        // Targets are steady-state figures: the last Http run with the simulator apart is the warmest one.
        var measured = results.LastOrDefault(r => r.Ran && r.SimulatorProcessCpu is not null && r.Spec.Transport == AriRestTransport.Http)
                       ?? results.FirstOrDefault(r => r.Ran);
        if (measured is not null) sections.Insert(0, Targets.Write(measured));

        if (options.Centre)
        {
            try
            {
                sections.Add(CentreReport.Run(options.Quick));
            }
            catch (InvalidOperationException ex)
            {
                failures.Add($"call-taker centre: {ex.Message}");
            }
        }

        if (options.Ledger)
        {
            await Console.Error.WriteLineAsync("bench: evidence ledger figures (chain + spool, replay)");
            sections.Add(await Routing.Bench.Ledger.LedgerEvidenceFigures.RunAsync(options.Quick, failures));
        }

        MicroResult? micro = null;
        if (options.Micro)
        {
            micro = MicroBenchmarks.Run(options.Quick, options.MicroCategory);
            failures.AddRange(micro.Failed.Select(f => "micro-benchmark " + f));
        }

        Print(options, startedAt, micro, sections, failures);
        return failures.Count == 0 ? 0 : 1;
    }

    /// <summary>Rounds of one Http and one WebSocket run, in the order Http, WebSocket, WebSocket, Http, ...
    /// so neither transport always runs first (JIT, caches and a drifting box then favour neither).</summary>
    private static async Task<(TransportSide Http, TransportSide WebSocket)> CompareTransportsAsync(
        BenchOptions options, List<string> failures, CancellationToken cancellationToken)
    {
        var runs = new Dictionary<AriRestTransport, List<LoadResult>> { [AriRestTransport.Http] = [], [AriRestTransport.WebSocket] = [] };
        for (var round = 0; round < options.TransportRounds; round++)
        {
            AriRestTransport[] order = round % 2 == 0 ? [AriRestTransport.Http, AriRestTransport.WebSocket] : [AriRestTransport.WebSocket, AriRestTransport.Http];
            foreach (var transport in order)
            {
                // A transport the simulator cannot serve is probed once, not once per round.
                if (runs[transport] is [{ Ran: false }, ..]) continue;
                var result = await TryRunAsync(new LoadRunSpec($"transport {transport} (round {round + 1})", transport, SimulatorInChild: true,
                    options.Calls, options.Rate, options.EffectiveTimeLimit, options.WarmUpCalls), failures, cancellationToken);
                if (result is not null) runs[transport].Add(result);
            }
        }

        return (new TransportSide(AriRestTransport.Http, runs[AriRestTransport.Http]), new TransportSide(AriRestTransport.WebSocket, runs[AriRestTransport.WebSocket]));
    }

    private static async Task<LoadResult?> TryRunAsync(LoadRunSpec spec, List<string> failures, CancellationToken cancellationToken)
    {
        try
        {
            var result = await LoadRunner.RunAsync(spec, cancellationToken);
            if (result.LostCount > 0) failures.Add($"{spec.Name}: {result.LostCount} call(s) lost or stuck");
            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A run that cannot finish is a failed run, reported with its cause; the other runs still go ahead.
            failures.Add($"{spec.Name}: the run failed: {ex.GetType().Name}: {ex.Message}");
            await Console.Error.WriteLineAsync($"bench: {spec.Name} failed: {ex}");
            return null;
        }
    }

    private static void Print(BenchOptions options, DateTimeOffset startedAt, MicroResult? micro, List<string> sections, List<string> failures)
    {
        var elapsed = DateTimeOffset.UtcNow - startedAt;
        Console.WriteLine();
        Console.WriteLine("==================================================================================");
        Console.WriteLine($" 112 routing engine benchmark - {startedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC - {Environment.ProcessorCount} cores - {options.CommandLine}");
        Console.WriteLine($" {Environment.OSVersion}, .NET {Environment.Version}, took {elapsed.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s");
        Console.WriteLine("==================================================================================");
        if (micro is not null)
        {
            Console.WriteLine();
            Console.WriteLine($"== Micro-benchmarks (BenchmarkDotNet, in process, {(options.Quick ? "quick: 1 warm-up, 3 x 100 ms iterations" : "ShortRun-style: 1 launch, 3 warm-up, 5 x 250 ms iterations")}, MemoryDiagnoser) ==");
            Console.WriteLine("Per operation: one ARI event, one AMI frame, one whole call, one ledger event. Calls/s on one core = 1 s / Mean.");
            Console.WriteLine(micro.Text);
        }

        foreach (var section in sections)
        {
            Console.WriteLine();
            Console.Write(section);
        }

        Console.WriteLine();
        Console.WriteLine(failures.Count == 0
            ? "RESULT: OK - no call lost or stuck, every benchmark produced a figure."
            : LoadReport.Loud($"RESULT: FAILED ({failures.Count})", failures));
    }
}
