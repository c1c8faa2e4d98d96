using Routing.TestSupport;
using System.Text;
using BenchmarkDotNet.Attributes;
using Routing.Asterisk.Ari;

namespace Routing.Bench.Micro;

/// <summary>Every websocket message of the recorded 112 → fire call (ari-call-112-fire.events.jsonl,
/// byte for byte) through the engine's parser. One operation = one event.</summary>
[BenchmarkCategory("ARI")]
public class AriEventParsingBench
{
    public const string TraceFile = "ari-call-112-fire.events.jsonl";
    private byte[][] frames = [];

    public static int FrameCount { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        frames = File.ReadAllLines(RepositoryFiles.Trace(TraceFile), Encoding.UTF8)
            .Where(line => line.Length > 0)
            .Select(Encoding.UTF8.GetBytes)
            .ToArray();
        FrameCount = frames.Length;
        if (frames.Length != OperationsPerTrace)
            throw new InvalidOperationException($"{TraceFile} has {frames.Length} events; the benchmark's OperationsPerInvoke says {OperationsPerTrace}. Update it.");
    }

    /// <summary>Lines in the trace (checked at setup, so a changed trace cannot skew per-event figures).</summary>
    private const int OperationsPerTrace = 57;

    [Benchmark(Description = "ARI event parse (112-fire trace), per event", OperationsPerInvoke = OperationsPerTrace)]
    public int ParseWholeCall()
    {
        var unknown = 0;
        foreach (var frame in frames)
        {
            if (AriEventParser.Parse(frame) is UnknownAriEvent) unknown++;
        }

        return unknown;
    }
}
