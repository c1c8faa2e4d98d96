using Routing.TestSupport;
using System.Buffers;
using BenchmarkDotNet.Attributes;
using Routing.Asterisk.Ami;

namespace Routing.Bench.Micro;

/// <summary>
/// The AMI server stream of the recorded 112 → fire call (ami-call-112-fire.txt) through the frame
/// parser, as it arrives from a socket: in 1,460-byte segments (one TCP segment each), so messages
/// straddle buffer boundaries as they do in production. One operation = one frame (banner or message).
/// </summary>
[BenchmarkCategory("AMI")]
public class AmiFrameParsingBench
{
    public const string TraceFile = "ami-call-112-fire.txt";
    private const int SegmentBytes = 1460;

    /// <summary>Frames in the trace (checked at setup, so a changed trace cannot skew per-frame figures).</summary>
    private const int FramesPerTrace = 78;

    private ReadOnlySequence<byte> stream;

    [GlobalSetup]
    public void Setup()
    {
        stream = Segmented(File.ReadAllBytes(RepositoryFiles.Trace(TraceFile)), SegmentBytes);
        var frames = ParseAll();
        if (frames != FramesPerTrace)
            throw new InvalidOperationException($"{TraceFile} parses to {frames} frames; the benchmark's OperationsPerInvoke says {FramesPerTrace}. Update it.");
    }

    [Benchmark(Description = "AMI frame parse (112-fire trace, 1460-byte reads), per frame", OperationsPerInvoke = FramesPerTrace)]
    public int ParseAll()
    {
        var parser = new AmiFrameParser();
        var buffer = stream;
        var frames = 0;
        while (parser.TryParse(ref buffer, out var frame))
        {
            if (frame.Kind == AmiFrameKind.Malformed)
                throw new InvalidOperationException($"{TraceFile}: malformed frame at byte {frame.Position}: {frame.Error}");
            frames++;
        }

        return frames;
    }

    private static ReadOnlySequence<byte> Segmented(byte[] bytes, int size)
    {
        Segment? first = null;
        Segment? last = null;
        for (var offset = 0; offset < bytes.Length; offset += size)
        {
            var memory = bytes.AsMemory(offset, Math.Min(size, bytes.Length - offset));
            last = last is null ? first = new Segment(memory, 0) : last.Append(memory);
        }

        return first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
