using Routing.Ledger.Storage;

namespace Routing.Ledger.Writing;

/// <summary>The only statements that change the ledger: inserts that ignore a row already there.</summary>
internal sealed class LedgerStatements(ILedgerDialect dialect)
{
    public static IReadOnlyList<string> CallColumns { get; } =
        ["call_id", "caller_channel_id", "caller_number", "dialed_number", "entry", "arrived_at", "node_id"];

    public static IReadOnlyList<string> LegColumns { get; } =
        ["leg_id", "call_id", "channel_id", "agency", "region", "trunk", "endpoint", "attempt", "planned_at", "node_id"];

    public static IReadOnlyList<string> EventColumns { get; } =
        ["event_id", "call_id", "leg_id", "at", "kind", "detail", "node_id"];

    /// <summary>Appended to the columns of every chained table (calls, legs, call_events).</summary>
    public static IReadOnlyList<string> ChainColumns { get; } = ["chain_seq", "prev_hash", "call_prev_hash", "row_hash"];

    public static IReadOnlyList<string> CheckpointColumns { get; } = ["checkpoint_id", "node_id", "chain_seq", "row_hash", "signed_at", "key_id", "signature"];

    public static IReadOnlyList<string> RejectedColumns { get; } =
        ["record_key", "record_type", "call_id", "payload", "error", "rejected_at", "node_id"];

    public string InsertCall { get; } = dialect.InsertIgnoringDuplicates("calls", [.. CallColumns, .. ChainColumns], "call_id");

    public string InsertLeg { get; } = dialect.InsertIgnoringDuplicates("legs", [.. LegColumns, .. ChainColumns], "leg_id");

    public string InsertEvent { get; } = dialect.InsertIgnoringDuplicates("call_events", [.. EventColumns, .. ChainColumns], "event_id");

    public string InsertCheckpoint { get; } = dialect.InsertIgnoringDuplicates("ledger_checkpoints", CheckpointColumns, "checkpoint_id");

    public string InsertRejected { get; } = dialect.InsertIgnoringDuplicates("rejected_records", RejectedColumns, "record_key");

    public IEnumerable<string> All => [InsertCall, InsertLeg, InsertEvent, InsertRejected, InsertCheckpoint];

    public string For(LedgerRow row) => row switch
    {
        CallRow => InsertCall,
        LegRow => InsertLeg,
        EventRow => InsertEvent,
        RejectedRow => InsertRejected,
        CheckpointRow => InsertCheckpoint,
        _ => throw new ArgumentOutOfRangeException(nameof(row), row.GetType().Name, "Not a ledger row type."),
    };
}
