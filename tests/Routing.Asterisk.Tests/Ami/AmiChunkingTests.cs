using System.Buffers;
using System.Text;
using Routing.Asterisk.Ami;
using Routing.Asterisk.Tests.Support;

namespace Routing.Asterisk.Tests.Ami;

/// <summary>TCP delivers bytes in arbitrary pieces: the result must not depend on where the pieces break.</summary>
public class AmiChunkingTests
{
    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, Segment? previous)
        {
            Memory = memory;
            if (previous is null) return;
            RunningIndex = previous.RunningIndex + previous.Memory.Length;
            previous.Next = this;
        }
    }

    /// <summary>Feeds the bytes chunk by chunk like a pipe does: unconsumed bytes stay, as separate segments, ahead of the next chunk.</summary>
    private static List<string> FeedInChunks(byte[] bytes, IEnumerable<int> chunkSizes)
    {
        var parser = new AmiFrameParser();
        var frames = new List<string>();
        var pending = new List<ReadOnlyMemory<byte>>();
        var offset = 0;
        foreach (var size in chunkSizes.Append(int.MaxValue))
        {
            if (offset >= bytes.Length) break;
            var take = Math.Min(size, bytes.Length - offset);
            pending.Add(bytes.AsMemory(offset, take));
            offset += take;

            Segment? first = null, last = null;
            foreach (var piece in pending.Where(p => p.Length > 0)) { last = new Segment(piece, last); first ??= last; }
            var buffer = first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
            var before = buffer.Length;
            while (parser.TryParse(ref buffer, out var frame)) frames.Add(Describe(frame));
            var consumed = before - buffer.Length;
            pending = [.. Drop(pending, consumed)];
        }
        return frames;
    }

    private static IEnumerable<ReadOnlyMemory<byte>> Drop(List<ReadOnlyMemory<byte>> pieces, long count)
    {
        foreach (var piece in pieces)
        {
            if (count >= piece.Length) { count -= piece.Length; continue; }
            yield return piece[(int)count..];
            count = 0;
        }
    }

    private static string Describe(AmiFrame f) => f.Kind switch
    {
        AmiFrameKind.Banner => "banner " + f.Banner,
        AmiFrameKind.Malformed => $"malformed@{f.Position} {f.Error}",
        _ => $"@{f.Position} " + string.Join("|", f.Message!.Fields.Select(kv => kv.Key + "=" + kv.Value)) + "#" + string.Join("|", f.Message.Output),
    };

    [Fact]
    public void A_short_stream_split_at_every_byte_offset_parses_the_same()
    {
        var trace = new AmiTrace("ami-call-112-fire.txt");
        var text = trace.BannerLine + "\r\n" + trace.LoginResponse + trace.Events[0] + "Event: Bad\r\nno colon\r\n\r\n"
                   + "Response: Follows\r\nActionID: r112-9\r\nout: 1\n\n--END COMMAND--\r\n\r\n" + trace.Events[1];
        var bytes = Encoding.UTF8.GetBytes(text);
        var whole = FeedInChunks(bytes, [bytes.Length]);
        Assert.Equal(6, whole.Count);

        for (var split = 1; split < bytes.Length; split++)
            Assert.Equal(whole, FeedInChunks(bytes, [split]));
    }

    [Theory]
    [InlineData("ami-call-112-fire.txt")]
    [InlineData("ami-originate-failures.txt")]
    [InlineData("ami-websocket-drop-A.txt")]
    public void Whole_recordings_in_random_chunks_parse_the_same(string file)
    {
        var bytes = File.ReadAllBytes(Traces.PathOf(file));
        var whole = FeedInChunks(bytes, [bytes.Length]);
        var random = new Random(112);
        for (var round = 0; round < 5; round++)
        {
            var sizes = Enumerable.Range(0, bytes.Length).Select(_ => random.Next(1, round % 2 == 0 ? 8 : 700)).ToList();
            Assert.Equal(whole, FeedInChunks(bytes, sizes));
        }
    }

    [Fact]
    public void Byte_by_byte_feeding_parses_the_same()
    {
        var bytes = File.ReadAllBytes(Traces.PathOf("ami-call-101-direct-continue.txt"));
        Assert.Equal(FeedInChunks(bytes, [bytes.Length]), FeedInChunks(bytes, Enumerable.Repeat(1, bytes.Length)));
    }
}
