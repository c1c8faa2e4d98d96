using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Routing.Ledger.Storage;
using Routing.Ledger.Writing;

namespace Routing.Ledger.Chain;

/// <summary>
/// The writer's way to a row's hash: the same canonical bytes as <see cref="CanonicalRow"/> (which the verifier
/// and the export use, and which stays the definition), written straight into one buffer kept from row to row,
/// numbers and instants formatted into it as UTF-8, and SHA-256 into a stack buffer. Building them as
/// <see cref="CanonicalRow.Of"/> does cost a field array, a string per number and instant and a byte array per
/// row, ~0.6 KB of every chained row (issue 11). Owned by the writer loop: not thread-safe.
/// </summary>
internal sealed class CanonicalHasher
{
    private byte[] buffer = new byte[1024];
    private int at;

    /// <summary>Lowercase hex SHA-256 of the row's canonical bytes, given its place in the chains.</summary>
    public string Hash(LedgerRow row, string nodeId, long chainSeq, string prevHash, string callPrevHash)
    {
        at = 0;
        Text(CanonicalRow.RowTag);
        switch (row)
        {
            case CallRow c:
                Header("calls", nodeId, chainSeq, prevHash, callPrevHash);
                Text(c.CallId);
                Text(c.CallerChannelId);
                Text(c.CallerNumber);
                Text(c.DialedNumber);
                Text(c.Entry);
                Instant(c.ArrivedAt);
                break;
            case LegRow l:
                Header("legs", nodeId, chainSeq, prevHash, callPrevHash);
                Text(l.LegId);
                Text(l.CallId);
                Text(l.ChannelId);
                Text(l.Agency);
                Text(l.Region);
                Text(l.Trunk);
                Text(l.Endpoint);
                Number(l.Attempt);
                Instant(l.PlannedAt);
                break;
            case EventRow e:
                Header("call_events", nodeId, chainSeq, prevHash, callPrevHash);
                Text(e.EventId);
                Text(e.CallId);
                Text(e.LegId);
                Instant(e.At);
                Text(e.Kind);
                Text(e.Detail);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(row), row.GetType().Name, "Only calls, legs and call_events rows are chained.");
        }

        Text(nodeId);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.AsSpan(0, at), hash);
        return Convert.ToHexStringLower(hash);
    }

    private void Header(string table, string nodeId, long chainSeq, string prevHash, string callPrevHash)
    {
        Text(table);
        Text(nodeId);
        Number(chainSeq);
        Text(prevHash);
        Text(callPrevHash);
    }

    private void Text(string? field)
    {
        if (field is null)
        {
            Room(1);
            buffer[at++] = 0xFF;
            return;
        }

        Room(5 + Encoding.UTF8.GetMaxByteCount(field.Length));
        Present(Encoding.UTF8.GetBytes(field, buffer.AsSpan(at + 5)));
    }

    private void Number(long value)
    {
        Room(5 + 20);
        if (!value.TryFormat(buffer.AsSpan(at + 5), out var written, default, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException($"chain number {value} did not fit its buffer");
        }

        Present(written);
    }

    private void Instant(object providerValue)
    {
        Room(5 + 64);
        var instant = UtcTimestamps.ToMicroseconds(UtcTimestamps.FromProviderValue(providerValue));
        if (!instant.TryFormat(buffer.AsSpan(at + 5), out var written, UtcTimestamps.SqliteTextFormat, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException($"instant {instant:O} did not fit its buffer");
        }

        Present(written);
    }

    /// <summary>The field's marker and length before the <paramref name="length"/> bytes just written after them.</summary>
    private void Present(int length)
    {
        buffer[at] = 0x00;
        BinaryPrimitives.WriteInt32BigEndian(buffer.AsSpan(at + 1), length);
        at += 5 + length;
    }

    private void Room(int bytes)
    {
        if (at + bytes > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, at + bytes));
        }
    }
}
