using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Routing.Bench.Micro;

/// <summary>
/// ShortRun-style and bounded: one launch, few warm-up and measured iterations, in process (no
/// per-benchmark project build, which alone would take minutes on a 2-core box). Allocations per
/// operation come from the MemoryDiagnoser. BenchmarkDotNet's own progress goes to a quiet logger;
/// the summary tables are printed in the report.
/// </summary>
public static class MicroConfig
{
    public static IConfig Create(bool quick)
    {
        var job = Job.ShortRun
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(quick ? 1 : 3)
            .WithIterationCount(quick ? 3 : 5)
            .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(quick ? 100 : 250))
            .WithId(quick ? "Quick" : "ShortRun");
        return ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumnProvider(BenchmarkDotNet.Columns.DefaultColumnProviders.Instance)
            .AddLogger(new ProgressLogger())
            .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "routing-bench", "BenchmarkDotNet.Artifacts"))
            .WithOption(ConfigOptions.DisableLogFile, true)
            .WithOption(ConfigOptions.JoinSummary, true);
    }

    /// <summary>Only errors and one line per benchmark reach stderr; the iteration chatter does not.</summary>
    private sealed class ProgressLogger : ILogger
    {
        public string Id => nameof(ProgressLogger);

        public int Priority => 0;

        public void Write(LogKind logKind, string text)
        {
            if (logKind == LogKind.Error) Console.Error.Write(text);
        }

        public void WriteLine() { }

        public void WriteLine(LogKind logKind, string text)
        {
            if (logKind == LogKind.Error) Console.Error.WriteLine(text);
            else if (logKind == LogKind.Header && text.StartsWith("// Benchmark: ", StringComparison.Ordinal)) Console.Error.WriteLine("bench: " + text[3..]);
        }

        public void Flush() => Console.Error.Flush();
    }
}
