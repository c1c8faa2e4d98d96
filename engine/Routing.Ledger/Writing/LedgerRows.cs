using System.Text.Json;
using Routing.Calls.Ports;
using Routing.Ledger.Storage;

namespace Routing.Ledger.Writing;

/// <summary>A record ready for the database: validated, made storable, instants converted for the
/// dialect. Property names bind the columns (<see cref="LedgerSql.ParameterName"/>). The chain columns
/// are filled by the writer at commit time (<see cref="Chain.ChainLinker"/>), never before.</summary>
internal abstract record LedgerRow(string CallId)
{
    /// <summary>Position in its node's chain: 1, 2, 3, ... across calls, legs and call_events.</summary>
    public long? ChainSeq { get; init; }

    /// <summary>row_hash of the node's row at ChainSeq - 1 (64 zeros for the first).</summary>
    public string? PrevHash { get; init; }

    /// <summary>row_hash of this node's previous row of the same call (64 zeros for the first).</summary>
    public string? CallPrevHash { get; init; }

    /// <summary>Lowercase hex SHA-256 of the row's canonical bytes (<see cref="Chain.CanonicalRow"/>).</summary>
    public string? RowHash { get; init; }

    /// <summary>The unique key of the row in its table.</summary>
    public abstract string Key { get; }
}

internal sealed record CallRow(
    string CallId, string CallerChannelId, string CallerNumber, string DialedNumber, string Entry, object ArrivedAt, string NodeId)
    : LedgerRow(CallId)
{
    public override string Key => CallId;
}

internal sealed record LegRow(
    string LegId, string CallId, string ChannelId, string Agency, string Region, string Trunk, string Endpoint,
    int Attempt, object PlannedAt, string NodeId)
    : LedgerRow(CallId)
{
    public override string Key => LegId;
}

internal sealed record EventRow(
    string EventId, string CallId, string? LegId, object At, string Kind, string Detail, string NodeId)
    : LedgerRow(CallId)
{
    public override string Key => EventId;

    /// <summary>A call's outcome: one per call, its id derived from the call id.</summary>
    public bool IsOutcome => Kind == LedgerEventKinds.Outcome;
}

/// <summary>A row the database refused for good, set aside whole in <c>rejected_records</c>.</summary>
internal sealed record RejectedRow(
    string RecordKey, string RecordType, string CallId, string Payload, string Error, object RejectedAt, string NodeId)
    : LedgerRow(CallId)
{
    public override string Key => RecordKey;
}

/// <summary>A signed checkpoint over a node's chain head (<see cref="Chain.CheckpointSigner"/>): the
/// head's position and hash are the base's <see cref="LedgerRow.ChainSeq"/> and <see cref="LedgerRow.RowHash"/>.</summary>
internal sealed record CheckpointRow(string NodeId, object SignedAt, string KeyId, string Signature)
    : LedgerRow("")
{
    public string CheckpointId => $"{NodeId}:{ChainSeq}";

    public override string Key => CheckpointId;
}

/// <summary>Turns the domain's records into rows. Throws <see cref="ArgumentException"/> naming the
/// field for input no database could store (empty or oversized ids); free text is kept exactly
/// (see <see cref="StorableText"/>).</summary>
internal sealed class LedgerRowFactory(ILedgerDialect dialect, string nodeId, TimeProvider timeProvider)
{
    public CallRow Call(CallRecord call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return new CallRow(
            StorableText.Key(call.CallId, "call.CallId"),
            StorableText.Key(call.CallerChannelId, "call.CallerChannelId"),
            StorableText.Free(call.CallerNumber, "call.CallerNumber"),
            StorableText.Free(call.DialedNumber, "call.DialedNumber"),
            StorableText.Key(call.Entry, "call.Entry"),
            dialect.ToDatabase(call.ArrivedAt),
            nodeId);
    }

    public LegRow Leg(LegRecord leg)
    {
        ArgumentNullException.ThrowIfNull(leg);
        if (leg.Attempt < 1)
        {
            throw new ArgumentException($"Ledger record field leg.Attempt is {leg.Attempt}; attempts count from 1.", nameof(leg));
        }

        return new LegRow(
            StorableText.Key(leg.LegId, "leg.LegId"),
            StorableText.Key(leg.CallId, "leg.CallId"),
            StorableText.Key(leg.ChannelId, "leg.ChannelId"),
            StorableText.Key(leg.Agency, "leg.Agency"),
            StorableText.Key(leg.Region, "leg.Region"),
            StorableText.Key(leg.Trunk, "leg.Trunk"),
            StorableText.Free(leg.Endpoint, "leg.Endpoint"),
            leg.Attempt,
            dialect.ToDatabase(leg.PlannedAt),
            nodeId);
    }

    // The event id is fixed here, before the row exists anywhere, so every later replay of this
    // row (a retry, a spool catching up) is recognised as the same event. A call's outcome is one
    // event whoever writes it (the call, the reconciler, restart recovery, another node): its id is
    // derived from the call id, so the ledger keeps the first and refuses any second one
    // (Chain.ChainLinker leaves it out before it is chained, so the chain has no hole).
    public EventRow Event(CallEventRecord callEvent)
    {
        ArgumentNullException.ThrowIfNull(callEvent);
        var callId = StorableText.Key(callEvent.CallId, "event.CallId");
        return new EventRow(
            callEvent.Kind == LedgerEventKinds.Outcome ? OutcomeEventId(callId) : Guid.CreateVersion7(timeProvider.GetUtcNow()).ToString("D"),
            callId,
            StorableText.OptionalKey(callEvent.LegId, "event.LegId"),
            dialect.ToDatabase(callEvent.At),
            StorableText.Key(callEvent.Kind, "event.Kind"),
            StorableText.Free(callEvent.Detail, "event.Detail"),
            nodeId);
    }

    /// <summary>The one event id a call's outcome can have: a name-based UUID (version 8, from SHA-256)
    /// of the call id, so it keeps the shape of every other event id.</summary>
    public static string OutcomeEventId(string callId)
    {
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("routing112/outcome/" + callId), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(bytes, bigEndian: true).ToString("D");
    }

    public RejectedRow Rejected(LedgerRow row, Exception refusal)
    {
        var (type, key) = row switch
        {
            CallRow call => ("call", call.CallId),
            LegRow leg => ("leg", leg.LegId),
            EventRow callEvent => ("event", callEvent.EventId),
            _ => throw new ArgumentOutOfRangeException(nameof(row), row.GetType().Name, "Only call, leg and event rows can be set aside."),
        };
        return new RejectedRow(
            $"{type}:{key}",
            type,
            row.CallId,
            JsonSerializer.Serialize(row with { ChainSeq = null, PrevHash = null, CallPrevHash = null, RowHash = null }, row.GetType()),
            StorableText.Free($"{refusal.GetType().Name}: {refusal.Message}", "refusal"),
            dialect.ToDatabase(timeProvider.GetUtcNow()),
            nodeId);
    }
}
