using System.Buffers.Binary;
using Routing.Checks.Prompts;

namespace Routing.Checks.Tests;

public class WavFormatTests
{
    private static byte[] Wav(int format = 1, int channels = 1, int rate = 8000, int bits = 16, int dataBytes = 160, bool listChunk = false)
    {
        var list = listChunk ? 4 + 4 + 5 + 1 : 0; // odd-sized chunk, padded
        var bytes = new byte[12 + 24 + list + 8 + dataBytes];
        "RIFF"u8.CopyTo(bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)(bytes.Length - 8));
        "WAVE"u8.CopyTo(bytes.AsSpan(8));
        var at = 12;
        if (listChunk)
        {
            "LIST"u8.CopyTo(bytes.AsSpan(at));
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + 4), 5);
            at += 8 + 6;
        }
        "fmt "u8.CopyTo(bytes.AsSpan(at));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + 4), 16);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at + 8), (ushort)format);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at + 10), (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + 12), (uint)rate);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + 16), (uint)(rate * channels * bits / 8));
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at + 20), (ushort)(channels * bits / 8));
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at + 22), (ushort)bits);
        at += 24;
        "data"u8.CopyTo(bytes.AsSpan(at));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + 4), (uint)dataBytes);
        return bytes;
    }

    [Fact]
    public void A_canonical_8khz_mono_16bit_pcm_file_is_playable()
    {
        var format = WavFormat.Parse(Wav(), out var problem);

        Assert.Null(problem);
        Assert.True(format!.IsAsteriskPlayable);
        Assert.Equal(TimeSpan.FromMilliseconds(10), format.Duration);
    }

    [Fact]
    public void Chunks_before_fmt_are_skipped_with_their_padding()
    {
        var format = WavFormat.Parse(Wav(listChunk: true), out _);

        Assert.True(format!.IsAsteriskPlayable);
    }

    [Theory]
    [InlineData(3, 1, 8000, 16)]      // IEEE float
    [InlineData(1, 2, 8000, 16)]      // stereo
    [InlineData(1, 1, 16000, 16)]     // wideband
    [InlineData(1, 1, 8000, 8)]       // 8-bit
    public void Anything_but_8khz_mono_16bit_pcm_is_not_playable(int format, int channels, int rate, int bits)
    {
        var parsed = WavFormat.Parse(Wav(format, channels, rate, bits), out _);

        Assert.False(parsed!.IsAsteriskPlayable);
    }

    [Fact]
    public void A_file_that_is_not_riff_wave_says_so()
    {
        Assert.Null(WavFormat.Parse("ID3\u0004 mp3 data"u8, out var problem));
        Assert.Equal("not a RIFF WAVE file", problem);
    }

    [Fact]
    public void A_wave_file_without_data_says_so()
    {
        var bytes = Wav(dataBytes: 0)[..^8];

        Assert.Null(WavFormat.Parse(bytes, out var problem));
        Assert.Equal("no data chunk", problem);
    }
}
