using Routing.Bench;
using Routing.Bench.Load;

// make bench [ARGS=--quick]: micro-benchmarks and bounded load runs, printed as a plain-text report.
// Re-invoked with --simulator-host it is the child process that plays Asterisk for the transport runs.
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync($"routing-bench: {ex.Message}\n\n{BenchOptions.Usage}");
    return 2;
}

if (options.ShowHelp)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

if (options.AllocationTrace is { } trace)
{
    Console.WriteLine(Routing.Bench.Report.AllocationReport.Write(trace, options.AllocatedKbPerCall is { } kb ? (long)(kb * 1024) : null));
    return 0;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

return options.SimulatorHost
    ? await SimulatorHost.RunAsync(Console.In, Console.Out, stop.Token)
    : await BenchRun.RunAsync(options, stop.Token);
