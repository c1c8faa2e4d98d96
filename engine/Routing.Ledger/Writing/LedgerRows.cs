using System.Text.Json;
using Routing.Calls.Ports;
using Routing.Ledger.Storage;

namespace Routing.Ledger.Writing;

/// <summary>A record ready for the database: validated, made storable, instants converted for the
/// dialect. Property names bind the columns (<see cref="LedgerSql.ParameterName"/>).</summary>
internal abstract record LedgerRow(string CallId);

internal sealed record CallRow(
    string CallId, string CallerChannelId, string CallerNumber, string DialedNumber, string Entry, object ArrivedAt, string NodeId)
    : LedgerRow(CallId);

internal sealed record LegRow(
    string LegId, string CallId, string ChannelId, string Agency, string Region, string Trunk, string Endpoint,
    int Attempt, object PlannedAt, string NodeId)
    : LedgerRow(CallId);

internal sealed record EventRow(
    string EventId, string CallId, string? LegId, object At, string Kind, string Detail, string NodeId)
    : LedgerRow(CallId);

/// <summary>A row the database refused for good, set aside whole in <c>rejected_records</c>.</summary>
internal sealed record RejectedRow(
    string RecordKey, string RecordType, string CallId, string Payload, string Error, object RejectedAt, string NodeId)
    : LedgerRow(CallId);

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
    // row (a retry, a spool catching up) is recognised as the same event.
    public EventRow Event(CallEventRecord callEvent)
    {
        ArgumentNullException.ThrowIfNull(callEvent);
        return new EventRow(
            Guid.CreateVersion7(timeProvider.GetUtcNow()).ToString("D"),
            StorableText.Key(callEvent.CallId, "event.CallId"),
            StorableText.OptionalKey(callEvent.LegId, "event.LegId"),
            dialect.ToDatabase(callEvent.At),
            StorableText.Key(callEvent.Kind, "event.Kind"),
            StorableText.Free(callEvent.Detail, "event.Detail"),
            nodeId);
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
            JsonSerializer.Serialize(row, row.GetType()),
            StorableText.Free($"{refusal.GetType().Name}: {refusal.Message}", "refusal"),
            dialect.ToDatabase(timeProvider.GetUtcNow()),
            nodeId);
    }
}
