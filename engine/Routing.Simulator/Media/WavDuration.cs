using System.Buffers.Binary;

namespace Routing.Simulator.Media;

/// <summary>Reads the playing time of a RIFF/WAVE file from its fmt and data chunks.</summary>
internal static class WavDuration
{
    public static TimeSpan Read(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    public static TimeSpan Read(Stream stream, string what)
    {
        Span<byte> header = stackalloc byte[12];
        if (stream.ReadAtLeast(header, 12, throwOnEndOfStream: false) < 12
            || !header[..4].SequenceEqual("RIFF"u8) || !header[8..12].SequenceEqual("WAVE"u8))
            throw new InvalidDataException($"{what}: not a RIFF/WAVE file");

        uint byteRate = 0;
        Span<byte> chunk = stackalloc byte[8];
        Span<byte> fmt = stackalloc byte[16];
        for (int i = 0; i < 64; i++) // bounded: a real WAV has a handful of chunks
        {
            if (stream.ReadAtLeast(chunk, 8, throwOnEndOfStream: false) < 8) break;
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
            if (chunk[..4].SequenceEqual("fmt "u8))
            {
                if (size < 16 || stream.ReadAtLeast(fmt, 16, throwOnEndOfStream: false) < 16)
                    throw new InvalidDataException($"{what}: truncated fmt chunk");
                byteRate = BinaryPrimitives.ReadUInt32LittleEndian(fmt[8..]);
                Skip(stream, size - 16 + (size & 1));
            }
            else if (chunk[..4].SequenceEqual("data"u8))
            {
                if (byteRate == 0) throw new InvalidDataException($"{what}: data chunk before a valid fmt chunk");
                return TimeSpan.FromSeconds((double)size / byteRate);
            }
            else
            {
                Skip(stream, size + (size & 1));
            }
        }
        throw new InvalidDataException($"{what}: no data chunk");
    }

    private static void Skip(Stream stream, long count)
    {
        if (stream.CanSeek) { stream.Seek(count, SeekOrigin.Current); return; }
        Span<byte> sink = stackalloc byte[256];
        while (count > 0)
        {
            int n = stream.Read(sink[..(int)Math.Min(count, sink.Length)]);
            if (n == 0) return;
            count -= n;
        }
    }
}
