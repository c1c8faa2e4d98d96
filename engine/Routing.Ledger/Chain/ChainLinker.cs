using System.Data.Common;
using Routing.Ledger.Storage;
using Routing.Ledger.Writing;

namespace Routing.Ledger.Chain;

/// <summary>
/// Chains rows as the single writer commits them: each calls / legs / call_events row gets the next
/// position of its node's chain, the hash of the node's previous row, the hash of this node's previous
/// row of the same call, and its own hash over all of that (<see cref="CanonicalRow"/>). Linking
/// happens inside the commit's transaction, so commit order is chain order, and a spooled record
/// replayed after a crash is chained exactly like a live one. The heads move only when the transaction
/// has committed (<see cref="Apply"/>), so a retried batch is linked identically.
/// Every <see cref="LedgerChainOptions.CheckpointEvery"/> positions a signed checkpoint joins the batch.
/// Owned by the writer loop: not thread-safe.
/// </summary>
internal sealed class ChainLinker(ILedgerDialect dialect, string nodeId, CheckpointSigner? signer, int checkpointEvery, TimeProvider timeProvider)
{
    private const int MaxRememberedCalls = 50_000;

    private readonly ChainQueries queries = new(dialect);
    private readonly CanonicalHasher hasher = new();
    private readonly Dictionary<string, string> callHeads = new(StringComparer.Ordinal);

    // The heads of the calls in the batch being linked: cleared by each LinkAsync and read by Apply of the batch it
    // linked (the writer links, commits and applies one batch at a time), instead of a dictionary per commit.
    private readonly Dictionary<string, string> batchCalls = new(StringComparer.Ordinal);
    private long headSeq;
    private string headHash = CanonicalRow.Genesis;

    public long HeadSeq => headSeq;

    public async Task LoadHeadAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (await queries.NodeHeadAsync(connection, null, nodeId, cancellationToken) is { } head)
        {
            (headSeq, headHash) = head;
        }
    }

    /// <param name="mayRepeat">The rows may already be in the database (a spool replayed after a
    /// crash): those are left out, since re-chaining them would fork the chain.</param>
    /// <remarks>An outcome of a call that the database or this batch already has an outcome for is left out too,
    /// before it is chained, and returned in <see cref="LinkedBatch.OutcomesLeftOut"/>. The call's outcome is looked
    /// for by kind, not only by its id (<see cref="LedgerRowFactory.OutcomeEventId"/>): calls recorded before the ids
    /// were derived have an outcome with a random id, which a second one's insert would not collide with. The look is
    /// one indexed read per batch that carries an outcome (one per call), none for the others.</remarks>
    public async Task<LinkedBatch> LinkAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<LedgerRow> rows, bool mayRepeat, CancellationToken cancellationToken)
    {
        var present = mayRepeat
            ? await PresentAsync(connection, transaction, rows, cancellationToken)
            : null;
        var ended = await EndedCallsAsync(connection, transaction, rows, cancellationToken);
        var seq = headSeq;
        var hash = headHash;
        var calls = batchCalls;
        calls.Clear();
        var linked = new List<LedgerRow>(rows.Count + 1);
        List<LeftOutOutcome>? leftOut = null;
        foreach (var row in rows)
        {
            if (row is not (CallRow or LegRow or EventRow))
            {
                linked.Add(row);
                continue;
            }

            if (row is EventRow { IsOutcome: true } outcome)
            {
                ended ??= new Dictionary<string, string>(StringComparer.Ordinal);
                if (ended.TryGetValue(row.CallId, out var existing))
                {
                    // Its own row already there (a replayed spool) is a repeat; any other outcome makes it a second one.
                    (leftOut ??= []).Add(new LeftOutOutcome(outcome, Repeat: string.Equals(existing, row.Key, StringComparison.Ordinal)));
                    continue;
                }

                ended[row.CallId] = row.Key; // a second outcome later in this batch
            }
            else if (present?.Contains((row.GetType(), row.Key)) == true)
            {
                continue;
            }

            var callPrev = row is CallRow
                ? CanonicalRow.Genesis
                : calls.GetValueOrDefault(row.CallId) ?? await KnownCallHeadAsync(connection, transaction, row.CallId, cancellationToken);
            seq++;
            var rowHash = hasher.Hash(row, nodeId, seq, hash, callPrev);
            linked.Add(row with { ChainSeq = seq, PrevHash = hash, CallPrevHash = callPrev, RowHash = rowHash });
            hash = rowHash;
            calls[row.CallId] = rowHash;
            if (signer is not null && seq % checkpointEvery == 0)
            {
                linked.Add(Checkpoint(seq, rowHash));
            }
        }

        return new LinkedBatch(linked, leftOut ?? [], seq, hash);
    }

    /// <summary>Moves the heads past <paramref name="batch"/>, the last one linked, once it has committed.</summary>
    public void Apply(LinkedBatch batch)
    {
        headSeq = batch.HeadSeq;
        headHash = batch.HeadHash;
        if (callHeads.Count + batchCalls.Count > MaxRememberedCalls)
        {
            // Forgotten heads are read back from the database when needed.
            callHeads.Clear();
        }

        foreach (var (callId, callHash) in batchCalls)
        {
            callHeads[callId] = callHash;
        }
    }

    /// <summary>A checkpoint over the current head, outside the every-N rhythm (at shutdown).</summary>
    public CheckpointRow? CheckpointAtHead() =>
        signer is null || headSeq == 0 ? null : Checkpoint(headSeq, headHash);

    private CheckpointRow Checkpoint(long seq, string rowHash)
    {
        var signedAt = UtcTimestamps.ToMicroseconds(timeProvider.GetUtcNow());
        return new CheckpointRow(nodeId, dialect.ToDatabase(signedAt), signer!.KeyId, signer.Sign(nodeId, seq, rowHash, signedAt))
        {
            ChainSeq = seq,
            RowHash = rowHash,
        };
    }

    private async Task<string> KnownCallHeadAsync(DbConnection connection, DbTransaction transaction, string callId, CancellationToken cancellationToken) =>
        callHeads.GetValueOrDefault(callId)
        ?? await queries.CallHeadAsync(connection, transaction, nodeId, callId, cancellationToken)
        ?? CanonicalRow.Genesis;

    /// <summary>The calls of the batch's outcomes that already have an outcome in the database, with that outcome's
    /// event id; null, without a read, when the batch carries no outcome (most batches: one row per call has one).</summary>
    private async Task<Dictionary<string, string>?> EndedCallsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<LedgerRow> rows, CancellationToken cancellationToken)
    {
        List<string>? callIds = null;
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i] is EventRow { IsOutcome: true } outcome && callIds?.Contains(outcome.CallId) != true)
            {
                (callIds ??= []).Add(outcome.CallId);
            }
        }

        return callIds is null ? null : await queries.OutcomesOfAsync(connection, transaction, callIds, cancellationToken);
    }

    private async Task<HashSet<(Type, string)>> PresentAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<LedgerRow> rows, CancellationToken cancellationToken)
    {
        var present = new HashSet<(Type, string)>();
        foreach (var (type, table, column) in new[] { (typeof(CallRow), "calls", "call_id"), (typeof(LegRow), "legs", "leg_id"), (typeof(EventRow), "call_events", "event_id") })
        {
            var keys = rows.Where(r => r.GetType() == type).Select(r => r.Key).ToList();
            foreach (var key in await queries.ExistingAsync(connection, transaction, table, column, keys, cancellationToken))
            {
                present.Add((type, key));
            }
        }

        return present;
    }
}

/// <summary>Rows ready to insert, the outcomes left out (their call already has one), and where the node's chain
/// ends once they have committed (<see cref="ChainLinker.Apply"/>).</summary>
internal sealed record LinkedBatch(IReadOnlyList<LedgerRow> Rows, IReadOnlyList<LeftOutOutcome> OutcomesLeftOut, long HeadSeq, string HeadHash);

/// <summary>An outcome left out because its call has one. <paramref name="Repeat"/>: that one is this very row (same
/// event id), as when a spool committed before a crash is replayed; otherwise it is a second outcome, refused.</summary>
internal sealed record LeftOutOutcome(EventRow Row, bool Repeat);
