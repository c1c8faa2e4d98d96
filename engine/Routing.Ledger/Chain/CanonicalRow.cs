using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Routing.Ledger.Storage;
using Routing.Ledger.Writing;

namespace Routing.Ledger.Chain;

/// <summary>
/// The exact bytes a ledger row's hash covers (documented in the project README, "Canonical bytes").
/// A sequence of fields; each field is either absent (one byte 0xFF) or present (one byte 0x00, the
/// length of its UTF-8 bytes as a 4-byte big-endian integer, then those bytes). Instants are UTC
/// ISO-8601 with exactly six fractional digits (<c>2026-11-24T03:00:00.000123Z</c>), integers are
/// invariant decimal. Fields, in order: the tag <c>routing112/ledger-row/v1</c>, the table name,
/// node_id, chain_seq, prev_hash, call_prev_hash, then the table's columns in the order of
/// <see cref="LedgerStatements"/>. The row hash is the lowercase hex SHA-256 of these bytes. The
/// same rules hold for every provider, because instants and text are read back to the same values.
/// </summary>
public static class CanonicalRow
{
    public const string RowTag = "routing112/ledger-row/v1";

    public const string CheckpointTag = "routing112/ledger-checkpoint/v1";

    /// <summary>prev_hash of a node's first row, and call_prev_hash of a call's first row.</summary>
    public static readonly string Genesis = new('0', 64);

    public static byte[] CallBytes(
        string nodeId, long chainSeq, string prevHash, string callPrevHash,
        string callId, string callerChannelId, string callerNumber, string dialedNumber, string entry, DateTimeOffset arrivedAt) =>
        Encode(RowTag, "calls", nodeId, Number(chainSeq), prevHash, callPrevHash,
            callId, callerChannelId, callerNumber, dialedNumber, entry, Instant(arrivedAt), nodeId);

    public static byte[] LegBytes(
        string nodeId, long chainSeq, string prevHash, string callPrevHash,
        string legId, string callId, string channelId, string agency, string region, string trunk, string endpoint, long attempt, DateTimeOffset plannedAt) =>
        Encode(RowTag, "legs", nodeId, Number(chainSeq), prevHash, callPrevHash,
            legId, callId, channelId, agency, region, trunk, endpoint, Number(attempt), Instant(plannedAt), nodeId);

    public static byte[] EventBytes(
        string nodeId, long chainSeq, string prevHash, string callPrevHash,
        string eventId, string callId, string? legId, DateTimeOffset at, string kind, string detail) =>
        Encode(RowTag, "call_events", nodeId, Number(chainSeq), prevHash, callPrevHash,
            eventId, callId, legId, Instant(at), kind, detail, nodeId);

    public static byte[] CheckpointBytes(string nodeId, long chainSeq, string rowHash, DateTimeOffset signedAt, string keyId) =>
        Encode(CheckpointTag, nodeId, Number(chainSeq), rowHash, Instant(signedAt), keyId);

    public static string Hash(byte[] canonical) => Convert.ToHexStringLower(SHA256.HashData(canonical));

    /// <summary>The canonical bytes of a row about to be written, given its place in the chains.</summary>
    internal static byte[] Of(LedgerRow row, string nodeId, long chainSeq, string prevHash, string callPrevHash) => row switch
    {
        CallRow c => CallBytes(nodeId, chainSeq, prevHash, callPrevHash, c.CallId, c.CallerChannelId, c.CallerNumber, c.DialedNumber, c.Entry, UtcTimestamps.FromProviderValue(c.ArrivedAt)),
        LegRow l => LegBytes(nodeId, chainSeq, prevHash, callPrevHash, l.LegId, l.CallId, l.ChannelId, l.Agency, l.Region, l.Trunk, l.Endpoint, l.Attempt, UtcTimestamps.FromProviderValue(l.PlannedAt)),
        EventRow e => EventBytes(nodeId, chainSeq, prevHash, callPrevHash, e.EventId, e.CallId, e.LegId, UtcTimestamps.FromProviderValue(e.At), e.Kind, e.Detail),
        _ => throw new ArgumentOutOfRangeException(nameof(row), row.GetType().Name, "Only calls, legs and call_events rows are chained."),
    };

    public static string Instant(DateTimeOffset instant) => UtcTimestamps.ToSqliteText(instant);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static byte[] Encode(params string?[] fields)
    {
        var length = 0;
        foreach (var field in fields)
        {
            length += field is null ? 1 : 5 + Encoding.UTF8.GetByteCount(field);
        }

        var bytes = new byte[length];
        var at = 0;
        foreach (var field in fields)
        {
            if (field is null)
            {
                bytes[at++] = 0xFF;
                continue;
            }

            bytes[at++] = 0x00;
            var written = Encoding.UTF8.GetBytes(field, bytes.AsSpan(at + 4));
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(at), written);
            at += 4 + written;
        }

        return bytes;
    }
}
