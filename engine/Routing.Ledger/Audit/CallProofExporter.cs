using System.Text.Json;
using System.Text.Json.Nodes;
using Routing.Ledger.Chain;
using Routing.Ledger.Storage;

namespace Routing.Ledger.Audit;

/// <summary>
/// <c>routing audit export --call ID</c>: a call's story (its call row, legs and events in chain order)
/// as JSON, with its proof: for each row its chain position, links, hash and canonical bytes (base64,
/// so anyone can recompute the SHA-256), whether it verifies; the signed checkpoint that covers the
/// call's last row; and the verdict of the chain walk from the call's first row to that checkpoint.
/// </summary>
public sealed class CallProofExporter(LedgerConnectionFactory connections, LedgerChainOptions chainOptions)
{
    private readonly AuditQueries queries = new(connections);

    /// <summary>The JSON document, or null when the ledger holds no row of the call.</summary>
    public async Task<JsonObject?> ExportAsync(string callId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(callId);
        await using var connection = await queries.OpenAsync(cancellationToken);
        var rows = await queries.CallRowsAsync(connection, callId, cancellationToken);
        if (rows.Count == 0)
        {
            return null;
        }

        var story = new JsonArray();
        foreach (var row in rows)
        {
            story.Add(Describe(row));
        }

        var proof = new JsonArray();
        var signer = CheckpointSigner.From(chainOptions);
        foreach (var node in rows.Where(r => r.ChainSeq is not null).GroupBy(r => r.NodeId))
        {
            var first = node.Min(r => r.ChainSeq!.Value);
            var last = node.Max(r => r.ChainSeq!.Value);
            var checkpoint = await queries.CheckpointCoveringAsync(connection, node.Key, last, cancellationToken);
            var verifier = new AuditVerifier(connections, chainOptions);
            var walk = await verifier.VerifyAsync(first, checkpoint?.ChainSeq ?? last, cancellationToken);
            var findings = walk.Findings.Where(f => f.NodeId == node.Key && f.Position > 0).Select(f => (JsonNode)JsonValue.Create(f.ToString())!).ToArray();
            proof.Add(new JsonObject
            {
                ["nodeId"] = node.Key,
                ["firstPosition"] = first,
                ["lastPosition"] = last,
                ["checkpoint"] = checkpoint is null ? null : new JsonObject
                {
                    ["position"] = checkpoint.ChainSeq,
                    ["rowHash"] = checkpoint.RowHash,
                    ["signedAt"] = CanonicalRow.Instant(checkpoint.SignedAtInstant),
                    ["keyId"] = checkpoint.KeyId,
                    ["signature"] = checkpoint.Signature,
                    ["signatureValid"] = signer is null ? null : signer.Verifies(node.Key, checkpoint.ChainSeq, checkpoint.RowHash, checkpoint.SignedAtInstant, checkpoint.Signature),
                    ["canonicalBase64"] = Convert.ToBase64String(CanonicalRow.CheckpointBytes(node.Key, checkpoint.ChainSeq, checkpoint.RowHash, checkpoint.SignedAtInstant, checkpoint.KeyId)),
                },
                ["chainFromFirstRowToCheckpoint"] = findings.Length == 0 ? "intact" : "broken",
                ["findings"] = new JsonArray(findings),
                ["note"] = checkpoint is null
                    ? "no signed checkpoint covers this call yet: its rows are chained but not yet sealed"
                    : "the chain from the call's first row to the checkpoint was walked link by link; the checkpoint's HMAC vouches for its row hash",
            });
        }

        return new JsonObject
        {
            ["callId"] = callId,
            ["hashAlgorithm"] = "SHA-256 over canonical bytes (engine/Routing.Ledger/README.md, \"Canonical bytes\")",
            ["story"] = story,
            ["proof"] = proof,
        };
    }

    public static string ToJson(JsonObject document) => document.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    private static JsonObject Describe(ChainedRow row)
    {
        var content = row.Table switch
        {
            "calls" => new JsonObject
            {
                ["callerChannelId"] = row.CallerChannelId,
                ["callerNumber"] = row.CallerNumber,
                ["dialedNumber"] = row.DialedNumber,
                ["entry"] = row.Entry,
                ["arrivedAt"] = CanonicalRow.Instant(row.Instant),
            },
            "legs" => new JsonObject
            {
                ["legId"] = row.RowKey,
                ["channelId"] = row.ChannelId,
                ["agency"] = row.Agency,
                ["region"] = row.Region,
                ["trunk"] = row.Trunk,
                ["endpoint"] = row.Endpoint,
                ["attempt"] = row.Attempt,
                ["plannedAt"] = CanonicalRow.Instant(row.Instant),
            },
            _ => new JsonObject
            {
                ["seq"] = row.Seq,
                ["eventId"] = row.RowKey,
                ["legId"] = row.LegId,
                ["at"] = CanonicalRow.Instant(row.Instant),
                ["kind"] = row.Kind,
                ["detail"] = row.Detail,
            },
        };
        var chained = row.ChainSeq is not null;
        return new JsonObject
        {
            ["table"] = row.Table,
            ["nodeId"] = row.NodeId,
            ["content"] = content,
            ["chain"] = chained
                ? new JsonObject
                {
                    ["position"] = row.ChainSeq,
                    ["prevHash"] = row.PrevHash,
                    ["callPrevHash"] = row.CallPrevHash,
                    ["rowHash"] = row.RowHash,
                    ["canonicalBase64"] = Convert.ToBase64String(row.CanonicalBytes()),
                    ["hashMatches"] = row.ComputedHash() == row.RowHash,
                }
                : null,
        };
    }
}
