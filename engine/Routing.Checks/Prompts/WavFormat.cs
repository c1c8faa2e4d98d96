using System.Buffers.Binary;

namespace Routing.Checks.Prompts;

/// <summary>
/// The header of a RIFF WAVE file, read by hand. Asterisk's format_wav plays a <c>.wav</c> only
/// when it is PCM (format 1), mono, 16-bit and 8000 Hz; anything else fails at playback time
/// (PlaybackFinished "failed"), which is too late for a caller.
/// </summary>
public sealed record WavFormat(int AudioFormat, int Channels, int SampleRate, int BitsPerSample, long DataBytes)
{
    public const int PcmFormat = 1;
    public const int AsteriskRate = 8000;

    private const int MaxBytes = 64 * 1024 * 1024;

    public bool IsAsteriskPlayable =>
        AudioFormat == PcmFormat && Channels == 1 && SampleRate == AsteriskRate && BitsPerSample == 16 && DataBytes > 0;

    public TimeSpan Duration =>
        SampleRate > 0 && Channels > 0 && BitsPerSample > 0
            ? TimeSpan.FromSeconds(DataBytes / (double)(SampleRate * Channels * (BitsPerSample / 8)))
            : TimeSpan.Zero;

    public override string ToString() =>
        $"{(AudioFormat == PcmFormat ? "PCM" : $"format {AudioFormat}")} {SampleRate} Hz {Channels} channel(s) {BitsPerSample}-bit";

    /// <summary>Reads the header; <paramref name="problem"/> says what is wrong when it is not a WAVE file.</summary>
    public static WavFormat? Read(string path, out string? problem)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            problem = "file not found";
            return null;
        }
        if (info.Length > MaxBytes)
        {
            problem = $"file is {info.Length} bytes, far too long for a prompt";
            return null;
        }
        return Parse(File.ReadAllBytes(path), out problem);
    }

    public static WavFormat? Parse(ReadOnlySpan<byte> bytes, out string? problem)
    {
        if (bytes.Length < 12 || !bytes[..4].SequenceEqual("RIFF"u8) || !bytes[8..12].SequenceEqual("WAVE"u8))
        {
            problem = "not a RIFF WAVE file";
            return null;
        }
        int? format = null, channels = null, rate = null, bits = null;
        long? data = null;
        var at = 12;
        while (at + 8 <= bytes.Length)
        {
            var id = bytes.Slice(at, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(at + 4, 4));
            var body = at + 8;
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16 || body + 16 > bytes.Length)
                {
                    problem = "the fmt chunk is truncated";
                    return null;
                }
                format = BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(body, 2));
                channels = BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(body + 2, 2));
                rate = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(body + 4, 4));
                bits = BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(body + 14, 2));
            }
            else if (id.SequenceEqual("data"u8))
            {
                // Some writers leave the size at 0 or 0xFFFFFFFF when streaming; trust the file then.
                data = Math.Min(size, bytes.Length - body);
                break;
            }
            // Chunks are padded to an even length.
            at = body + (int)Math.Min(size + (size & 1), (uint)bytes.Length);
        }
        if (format is null)
        {
            problem = "no fmt chunk";
            return null;
        }
        if (data is null)
        {
            problem = "no data chunk";
            return null;
        }
        problem = null;
        return new WavFormat(format.Value, channels!.Value, rate!.Value, bits!.Value, data.Value);
    }
}
