using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Routing.Bench.Micro;

/// <summary>Runs the micro-benchmarks and renders BenchmarkDotNet's summary for the report.</summary>
public static class MicroBenchmarks
{
    private static readonly Type[] All =
    [
        typeof(AriEventParsingBench),
        typeof(AmiFrameParsingBench),
        typeof(CallLifeBench),
        typeof(LedgerAppendBench),
    ];

    public static MicroResult Run(bool quick, string? category = null)
    {
        Console.Error.WriteLine($"bench: BenchmarkDotNet micro-benchmarks ({(quick ? "quick" : "ShortRun")}, in process{(category is null ? "" : ", category " + category)})");
        var config = MicroConfig.Create(quick);
        if (category is not null)
        {
            config = config.AddFilter(new AnyCategoriesFilter([category]));
        }

        var summaries = BenchmarkRunner.Run(All, config);
        if (summaries.All(s => s.Reports.IsEmpty))
        {
            return new MicroResult("", [$"no micro-benchmark has category '{category}'"]);
        }

        var text = new StringWriter();
        var logger = new TextLogger(text);
        var failed = new List<string>();
        foreach (var summary in summaries)
        {
            MarkdownExporter.Console.ExportToLog(summary, logger);
            failed.AddRange(summary.ValidationErrors.Where(e => e.IsCritical).Select(e => "validation: " + e.Message));
            failed.AddRange(summary.Reports.Where(r => !r.Success || r.ResultStatistics is null).Select(r => "no result: " + r.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo));
        }

        return new MicroResult(text.ToString(), failed);
    }

    private sealed class TextLogger(TextWriter writer) : ILogger
    {
        public string Id => nameof(TextLogger);

        public int Priority => 0;

        public void Write(LogKind logKind, string text) => writer.Write(text);

        public void WriteLine() => writer.WriteLine();

        public void WriteLine(LogKind logKind, string text) => writer.WriteLine(text);

        public void Flush() => writer.Flush();
    }
}

/// <summary>The rendered summary tables, and the benchmarks that produced no figure.</summary>
public sealed record MicroResult(string Text, IReadOnlyList<string> Failed);
