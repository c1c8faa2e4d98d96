using Routing.Ledger.Chain;
using Routing.Ledger.Storage;

namespace Routing.Ledger.Audit;

/// <summary>A calls, legs or call_events row as stored, with its chain columns; knows its canonical bytes.</summary>
public sealed class ChainedRow
{
    public string Table { get; set; } = "";

    /// <summary>Column alias binding <see cref="Table"/> (TABLE is a keyword everywhere).</summary>
    public string TableName { get => Table; set => Table = value; }

    /// <summary>call_id, leg_id or event_id.</summary>
    public string RowKey { get; set; } = "";

    public string CallId { get; set; } = "";

    public string NodeId { get; set; } = "";

    /// <summary>call_events.seq (null for calls and legs).</summary>
    public long? Seq { get; set; }

    public long? ChainSeq { get; set; }

    public string? PrevHash { get; set; }

    public string? CallPrevHash { get; set; }

    public string? RowHash { get; set; }

    // Content: which fields are used depends on the table.
    public string? CallerChannelId { get; set; }
    public string? CallerNumber { get; set; }
    public string? DialedNumber { get; set; }
    public string? Entry { get; set; }
    public string? LegId { get; set; }
    public string? ChannelId { get; set; }
    public string? Agency { get; set; }
    public string? Region { get; set; }
    public string? Trunk { get; set; }
    public string? Endpoint { get; set; }
    public long? Attempt { get; set; }
    public string? Kind { get; set; }
    public string? Detail { get; set; }

    /// <summary>arrived_at, planned_at or at, as the provider returned it.</summary>
    public object? At { get; set; }

    public DateTimeOffset Instant => UtcTimestamps.FromProviderValue(At ?? throw new InvalidOperationException($"{Table} row {RowKey} has no instant"));

    /// <summary>The bytes its row_hash must be the SHA-256 of, from what is stored now.</summary>
    public byte[] CanonicalBytes()
    {
        var seq = ChainSeq ?? 0;
        var prev = PrevHash ?? "";
        var callPrev = CallPrevHash ?? "";
        return Table switch
        {
            "calls" => CanonicalRow.CallBytes(NodeId, seq, prev, callPrev, RowKey, CallerChannelId ?? "", CallerNumber ?? "", DialedNumber ?? "", Entry ?? "", Instant),
            "legs" => CanonicalRow.LegBytes(NodeId, seq, prev, callPrev, RowKey, CallId, ChannelId ?? "", Agency ?? "", Region ?? "", Trunk ?? "", Endpoint ?? "", Attempt ?? 0, Instant),
            "call_events" => CanonicalRow.EventBytes(NodeId, seq, prev, callPrev, RowKey, CallId, LegId, Instant, Kind ?? "", Detail ?? ""),
            _ => throw new InvalidOperationException($"table {Table} is not chained"),
        };
    }

    public string ComputedHash() => CanonicalRow.Hash(CanonicalBytes());

    /// <summary>How an operator finds the row: table, key, and seq for events.</summary>
    public string Describe() => Seq is { } s ? $"{Table} seq {s} ({RowKey})" : $"{Table} {RowKey}";
}

/// <summary>A stored checkpoint.</summary>
public sealed class StoredCheckpoint
{
    public string NodeId { get; set; } = "";
    public long ChainSeq { get; set; }
    public string RowHash { get; set; } = "";
    public object SignedAt { get; set; } = "";
    public string KeyId { get; set; } = "";
    public string Signature { get; set; } = "";

    public DateTimeOffset SignedAtInstant => UtcTimestamps.FromProviderValue(SignedAt);
}
