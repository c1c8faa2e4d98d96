using Routing.Ledger.Chain;
using Routing.Ledger.Storage;

namespace Routing.Ledger.Audit;

/// <summary>What kind of break <c>routing audit verify</c> found.</summary>
public enum AuditBreak
{
    /// <summary>Positions are missing from the node's chain.</summary>
    Deleted,

    /// <summary>A row's content no longer matches its hash.</summary>
    Edited,

    /// <summary>A row does not follow the row before it (it was moved, or one was slipped in).</summary>
    Reordered,

    /// <summary>A position appears twice, or a row carries no chain though it was written after chaining began.</summary>
    Inserted,

    /// <summary>A row does not follow the previous row of its own call.</summary>
    CallChainBroken,

    /// <summary>A signed checkpoint is missing, has a bad signature, or no longer matches the chain.</summary>
    Checkpoint,
}

/// <param name="Row">The row where the chain breaks (null for a missing checkpoint).</param>
public sealed record AuditFinding(string NodeId, long Position, AuditBreak Break, string Message, ChainedRow? Row)
{
    public override string ToString() => Row is null
        ? $"node {NodeId} position {Position}: {Break}: {Message}"
        : $"node {NodeId} position {Position}: {Break}: {Row.Describe()} of call {Row.CallId}: {Message}";
}

public sealed record AuditNodeSummary(string NodeId, long From, long To, long Rows, int Checkpoints);

public sealed record AuditReport(IReadOnlyList<AuditNodeSummary> Nodes, IReadOnlyList<AuditFinding> Findings, IReadOnlyList<string> Warnings)
{
    public bool Intact => Findings.Count == 0;
}

/// <summary>
/// Walks the ledger's hash chains (README "Hash chain") and names, for each node, the first broken
/// link: the position, the row (table, key, seq) and its call. Checks in this order per position:
/// continuity (a gap = deleted, a repeat = inserted), the link to the previous row (reordered or
/// inserted), the row's own hash (edited), the link to its call's previous row; then every signed
/// checkpoint (signature, and that the chain still has the signed hash at its position) and that
/// none is missing where <see cref="LedgerChainOptions.CheckpointEvery"/> demands one. Rows with no
/// chain written after chaining began are reported as inserted. Reads in pages: memory stays bounded.
/// </summary>
public sealed class AuditVerifier(LedgerConnectionFactory connections, LedgerChainOptions chainOptions)
{
    private const int Page = 5_000;

    private readonly AuditQueries queries = new(connections);
    private readonly CheckpointSigner? signer = CheckpointSigner.From(chainOptions);

    /// <param name="from">First chain position to check (1 by default).</param>
    /// <param name="to">Last chain position to check (the head by default).</param>
    public async Task<AuditReport> VerifyAsync(long? from, long? to, CancellationToken cancellationToken)
    {
        var findings = new List<AuditFinding>();
        var warnings = new List<string>();
        var nodes = new List<AuditNodeSummary>();
        if (signer is null)
        {
            warnings.Add($"{LedgerChainOptions.SectionName}:{nameof(LedgerChainOptions.HmacKey)} is not set: checkpoint signatures are not checked, so a rewrite of the whole tail would not be detected.");
        }

        await using var connection = await queries.OpenAsync(cancellationToken);
        foreach (var nodeId in await queries.NodesAsync(connection, cancellationToken))
        {
            var first = Math.Max(1, from ?? 1);
            var last = Math.Min(to ?? long.MaxValue, await queries.LastPositionAsync(connection, nodeId, cancellationToken));
            var (rows, finding) = await WalkAsync(connection, nodeId, first, last, cancellationToken);
            var checkpoints = await queries.CheckpointsAsync(connection, nodeId, first, last, cancellationToken);
            finding ??= await CheckpointFindingAsync(connection, nodeId, first, last, checkpoints, cancellationToken);
            if (finding is not null)
            {
                findings.Add(finding);
            }

            nodes.Add(new AuditNodeSummary(nodeId, first, last, rows, checkpoints.Count));
        }

        foreach (var row in await queries.UnchainedAfterChainBeganAsync(connection, cancellationToken))
        {
            findings.Add(new AuditFinding(row.NodeId, 0, AuditBreak.Inserted,
                "the row carries no chain, yet it was written after the engine began chaining every row: it was inserted outside the engine", row));
        }

        return new AuditReport(nodes, findings, warnings);
    }

    private async Task<(long Rows, AuditFinding? Finding)> WalkAsync(System.Data.Common.DbConnection connection, string nodeId, long first, long last, CancellationToken cancellationToken)
    {
        var expected = first;
        string? previousHash = first == 1 ? CanonicalRow.Genesis : null;
        var callHeads = new Dictionary<string, string>(StringComparer.Ordinal);
        long count = 0;
        for (var pageStart = first; pageStart <= last; pageStart += Page)
        {
            var pageEnd = Math.Min(last, pageStart + Page - 1);
            var rows = await queries.ChainAsync(connection, nodeId, pageStart, pageEnd, cancellationToken);
            foreach (var row in rows)
            {
                count++;
                var position = row.ChainSeq!.Value;
                if (position > expected)
                {
                    return (count, new AuditFinding(nodeId, expected, AuditBreak.Deleted,
                        $"positions {expected}..{position - 1} are missing: {position - expected} row(s) deleted before this row", row));
                }

                if (position < expected)
                {
                    return (count, new AuditFinding(nodeId, position, AuditBreak.Inserted,
                        $"position {position} appears twice: a row was inserted", row));
                }

                if (previousHash is null && position > 1)
                {
                    // A range starting mid-chain: link to the row before it, which is not part of the check.
                    previousHash = (await queries.ChainAsync(connection, nodeId, position - 1, position - 1, cancellationToken)).FirstOrDefault()?.RowHash;
                }

                if (!string.Equals(row.PrevHash, previousHash, StringComparison.Ordinal))
                {
                    return (count, new AuditFinding(nodeId, position, AuditBreak.Reordered,
                        $"its prev_hash does not match the row at position {position - 1}: rows were reordered, or this one was inserted", row));
                }

                if (!string.Equals(row.ComputedHash(), row.RowHash, StringComparison.Ordinal))
                {
                    return (count, new AuditFinding(nodeId, position, AuditBreak.Edited,
                        "its content does not match its row_hash: the row was edited", row));
                }

                var callPrevious = row.Table == "calls"
                    ? CanonicalRow.Genesis
                    : callHeads.GetValueOrDefault(row.CallId)
                      ?? (first > 1 ? await queries.CallHashBeforeAsync(connection, nodeId, row.CallId, position, cancellationToken) : null)
                      ?? CanonicalRow.Genesis;
                if (!string.Equals(row.CallPrevHash, callPrevious, StringComparison.Ordinal))
                {
                    return (count, new AuditFinding(nodeId, position, AuditBreak.CallChainBroken,
                        $"its call_prev_hash does not match the previous row of call {row.CallId}: a row of this call was deleted, edited or moved", row));
                }

                callHeads[row.CallId] = row.RowHash!;
                previousHash = row.RowHash;
                expected = position + 1;
            }
        }

        return (count, null);
    }

    private async Task<AuditFinding?> CheckpointFindingAsync(
        System.Data.Common.DbConnection connection, string nodeId, long first, long last, List<StoredCheckpoint> checkpoints, CancellationToken cancellationToken)
    {
        if (signer is null)
        {
            return null;
        }

        var byPosition = checkpoints.ToDictionary(c => c.ChainSeq);
        var every = chainOptions.CheckpointEvery;
        for (var position = (first + every - 1) / every * every; position <= last; position += every)
        {
            if (!byPosition.ContainsKey(position))
            {
                return new AuditFinding(nodeId, position, AuditBreak.Checkpoint,
                    $"the signed checkpoint at position {position} is missing (one is written every {every} rows): it was deleted", null);
            }
        }

        foreach (var checkpoint in checkpoints)
        {
            if (checkpoint.KeyId != signer.KeyId)
            {
                return new AuditFinding(nodeId, checkpoint.ChainSeq, AuditBreak.Checkpoint,
                    $"the checkpoint was signed with key '{checkpoint.KeyId}', not the configured '{signer.KeyId}': cannot be verified", null);
            }

            if (!signer.Verifies(nodeId, checkpoint.ChainSeq, checkpoint.RowHash, checkpoint.SignedAtInstant, checkpoint.Signature))
            {
                return new AuditFinding(nodeId, checkpoint.ChainSeq, AuditBreak.Checkpoint,
                    "the checkpoint's signature is not valid: the checkpoint was forged or altered", null);
            }

            var row = (await queries.ChainAsync(connection, nodeId, checkpoint.ChainSeq, checkpoint.ChainSeq, cancellationToken)).FirstOrDefault();
            if (row is null || row.RowHash != checkpoint.RowHash)
            {
                return new AuditFinding(nodeId, checkpoint.ChainSeq, AuditBreak.Checkpoint,
                    "the chain no longer has the hash this signed checkpoint vouches for: the chain was rewritten", row);
            }
        }

        return null;
    }
}
