using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text.Json;
using Routing.Ledger.Storage;
using Routing.Ledger.Writing;

namespace Routing.Ledger.Spool;

/// <summary>
/// One spool entry: a 4-byte little-endian payload length, the payload's CRC-32 (IEEE, 4 bytes
/// little-endian), then the payload: UTF-8 JSON of the row (<c>t</c> = call | leg | event, instants as
/// UTC ISO-8601 text). A file starts with <see cref="FileHeader"/>. A torn or corrupt entry is one
/// whose length runs past the end of the file or whose checksum does not match.
/// </summary>
internal static class SpoolCodec
{
    public static readonly byte[] FileHeader = "R112SPOOL1\n"u8.ToArray();

    public const int EntryHeaderLength = 8;

    /// <summary>No row comes near this; a larger length means the entry is corrupt.</summary>
    public const int MaxPayloadLength = 16 * 1024 * 1024;

    public static byte[] Encode(LedgerRow row) => Encode(row, new Scratch());

    /// <summary>Encodes with <paramref name="scratch"/>'s buffer and JSON writer, reused from row to row by
    /// the spool's single writer loop (a fresh buffer grew three times and a writer was made per row).</summary>
    public static byte[] Encode(LedgerRow row, Scratch scratch)
    {
        ArgumentNullException.ThrowIfNull(scratch);
        var buffer = scratch.Buffer;
        buffer.ResetWrittenCount();
        buffer.GetSpan(EntryHeaderLength);
        buffer.Advance(EntryHeaderLength);
        var json = scratch.Json;
        json.Reset(buffer);
        json.WriteStartObject();
        switch (row)
        {
            case CallRow c:
                json.WriteString("t", "call");
                json.WriteString("callId", c.CallId);
                json.WriteString("callerChannelId", c.CallerChannelId);
                json.WriteString("callerNumber", c.CallerNumber);
                json.WriteString("dialedNumber", c.DialedNumber);
                json.WriteString("entry", c.Entry);
                json.WriteString("arrivedAt", Instant(c.ArrivedAt));
                json.WriteString("nodeId", c.NodeId);
                break;
            case LegRow l:
                json.WriteString("t", "leg");
                json.WriteString("legId", l.LegId);
                json.WriteString("callId", l.CallId);
                json.WriteString("channelId", l.ChannelId);
                json.WriteString("agency", l.Agency);
                json.WriteString("region", l.Region);
                json.WriteString("trunk", l.Trunk);
                json.WriteString("endpoint", l.Endpoint);
                json.WriteNumber("attempt", l.Attempt);
                json.WriteString("plannedAt", Instant(l.PlannedAt));
                json.WriteString("nodeId", l.NodeId);
                break;
            case EventRow e:
                json.WriteString("t", "event");
                json.WriteString("eventId", e.EventId);
                json.WriteString("callId", e.CallId);
                json.WriteString("legId", e.LegId);
                json.WriteString("at", Instant(e.At));
                json.WriteString("kind", e.Kind);
                json.WriteString("detail", e.Detail);
                json.WriteString("nodeId", e.NodeId);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(row), row.GetType().Name, "Only call, leg and event rows are spooled.");
        }

        json.WriteEndObject();
        json.Flush();

        var entry = buffer.WrittenSpan.ToArray();
        var payload = entry.AsSpan(EntryHeaderLength);
        BinaryPrimitives.WriteInt32LittleEndian(entry, payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(4), Crc32.HashToUInt32(payload));
        return entry;
    }

    /// <summary>The row in <paramref name="payload"/>, its instants converted for <paramref name="dialect"/>.</summary>
    public static LedgerRow Decode(ReadOnlySpan<byte> payload, ILedgerDialect dialect)
    {
        using var document = JsonDocument.Parse(payload.ToArray());
        var json = document.RootElement;
        string S(string name) => json.GetProperty(name).GetString() ?? throw new FormatException($"spool entry field {name} is null");
        object At(string name) => dialect.ToDatabase(UtcTimestamps.FromProviderValue(S(name)));
        return S("t") switch
        {
            "call" => new CallRow(S("callId"), S("callerChannelId"), S("callerNumber"), S("dialedNumber"), S("entry"), At("arrivedAt"), S("nodeId")),
            "leg" => new LegRow(S("legId"), S("callId"), S("channelId"), S("agency"), S("region"), S("trunk"), S("endpoint"),
                json.GetProperty("attempt").GetInt32(), At("plannedAt"), S("nodeId")),
            "event" => new EventRow(S("eventId"), S("callId"), json.GetProperty("legId").GetString(), At("at"), S("kind"), S("detail"), S("nodeId")),
            var t => throw new FormatException($"spool entry type '{t}' is unknown"),
        };
    }

    public static bool ChecksumMatches(ReadOnlySpan<byte> payload, uint checksum) => Crc32.HashToUInt32(payload) == checksum;

    private static string Instant(object providerValue) => UtcTimestamps.ToSqliteText(UtcTimestamps.FromProviderValue(providerValue));

    /// <summary>A buffer and a JSON writer for one encoding at a time (not thread-safe).</summary>
    public sealed class Scratch
    {
        public System.Buffers.ArrayBufferWriter<byte> Buffer { get; } = new(1024);

        public Utf8JsonWriter Json { get; }

        public Scratch() => Json = new Utf8JsonWriter(Buffer);
    }
}
