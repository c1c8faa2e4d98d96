using System.Data.Common;
using Dapper;
using Routing.Ledger.Audit;
using Routing.Ledger.Tests.Support;

namespace Routing.Ledger.Tests.Suite;

/// <summary>Tamper evidence: the database refuses changes from the engine, and whatever an attacker
/// with more rights changes is named by the verifier.</summary>
public abstract partial class LedgerSuite
{
    /// <summary>Two calls of 1 call row + 1 leg + 6 events each: positions 1..16, checkpoints every 4.</summary>
    private async Task<Ledger> TwoChainedCallsAsync()
    {
        var ledger = await OpenAsync(o => o.Chain.CheckpointEvery = 4);
        foreach (var callId in new[] { "chain-a", "chain-b" })
        {
            await ledger.Journal.CallArrivedAsync(Call(callId), CancellationToken.None);
            await ledger.Journal.LegPlannedAsync(Leg(callId, callId + "-leg"), CancellationToken.None);
            for (var i = 1; i <= 6; i++)
            {
                await ledger.Journal.AppendAsync(Event(callId, "state", $"{callId} step {i}", i), CancellationToken.None);
            }
        }

        await AllWrittenAsync(ledger);
        return ledger;
    }

    private async Task<AuditReport> VerifyEvery4Async(long? from = null, long? to = null)
    {
        var chain = Database.Options(o => o.Chain.CheckpointEvery = 4).Chain;
        return await new AuditVerifier(new Storage.LedgerConnectionFactory(Storage.LedgerDialects.ForProvider(Database.Provider), Database.ConnectionString), chain)
            .VerifyAsync(from, to, CancellationToken.None);
    }

    [LedgerFact]
    public async Task Every_row_is_chained_and_an_untouched_ledger_verifies_with_its_signed_checkpoints()
    {
        await TwoChainedCallsAsync();

        var report = await VerifyEvery4Async();

        Assert.True(report.Intact, string.Join("; ", report.Findings));
        var node = Assert.Single(report.Nodes);
        Assert.Equal(("node-a", 1L, 16L, 16L, 4), (node.NodeId, node.From, node.To, node.Rows, node.Checkpoints));
    }

    [LedgerFact]
    public async Task An_edited_row_is_named_with_its_call()
    {
        await TwoChainedCallsAsync();
        await AsAttackerAsync("UPDATE call_events SET detail = 'nothing happened' WHERE detail = 'chain-b step 3'");

        var finding = Assert.Single((await VerifyEvery4Async()).Findings);

        Assert.Equal((AuditBreak.Edited, 13L, "chain-b", "call_events"), (finding.Break, finding.Position, finding.Row!.CallId, finding.Row.Table));
        Assert.Contains("seq", finding.ToString());
    }

    [LedgerFact]
    public async Task A_deleted_row_is_named_by_the_gap_it_leaves()
    {
        await TwoChainedCallsAsync();
        await AsAttackerAsync("DELETE FROM call_events WHERE detail = 'chain-a step 2'");

        var finding = Assert.Single((await VerifyEvery4Async()).Findings);

        Assert.Equal((AuditBreak.Deleted, 4L, "chain-a"), (finding.Break, finding.Position, finding.Row!.CallId));
        Assert.Contains("positions 4..4 are missing", finding.Message);
    }

    [LedgerFact]
    public async Task Reordered_rows_are_named()
    {
        await TwoChainedCallsAsync();
        // Swap the places of two events of chain-a (positions 5 and 6).
        await AsAttackerAsync(
            "UPDATE call_events SET chain_seq = -1 WHERE detail = 'chain-a step 3'",
            "UPDATE call_events SET chain_seq = 5 WHERE detail = 'chain-a step 4'",
            "UPDATE call_events SET chain_seq = 6 WHERE chain_seq = -1");

        var finding = Assert.Single((await VerifyEvery4Async()).Findings);

        Assert.Equal((AuditBreak.Reordered, 5L, "chain-a"), (finding.Break, finding.Position, finding.Row!.CallId));
    }

    [LedgerFact]
    public async Task An_inserted_row_is_named()
    {
        await TwoChainedCallsAsync();
        await AsAttackerAsync(
            "INSERT INTO call_events (event_id, call_id, leg_id, at, kind, detail, node_id) " +
            $"VALUES ('forged', 'chain-a', NULL, {Instant()}, 'classified', 'not an emergency', 'node-a')");

        var finding = Assert.Single((await VerifyEvery4Async()).Findings);

        Assert.Equal((AuditBreak.Inserted, "forged", "chain-a"), (finding.Break, finding.Row!.RowKey, finding.Row.CallId));
    }

    [LedgerFact]
    public async Task Rewriting_the_whole_tail_with_recomputed_hashes_is_caught_by_the_signed_checkpoint()
    {
        await TwoChainedCallsAsync();
        // The attacker edits position 11 and recomputes every hash after it, but has no HMAC key.
        await using var raw = await Database.OpenRawAsync();
        await DropGuardsAsync(raw);
        await raw.ExecuteAsync("UPDATE call_events SET detail = 'rewritten' WHERE chain_seq = 11");
        var rows = (await new AuditVerifierProbe(Database).ChainAsync()).Where(r => r.ChainSeq >= 11).ToList();
        var previous = (await new AuditVerifierProbe(Database).ChainAsync()).Single(r => r.ChainSeq == 10).RowHash!;
        var callHeads = new Dictionary<string, string>();
        foreach (var row in (await new AuditVerifierProbe(Database).ChainAsync()).Where(r => r.ChainSeq < 11))
        {
            callHeads[row.CallId] = row.RowHash!;
        }

        foreach (var row in rows)
        {
            row.PrevHash = previous;
            row.CallPrevHash = row.Table == "calls" ? Chain.CanonicalRow.Genesis : callHeads.GetValueOrDefault(row.CallId, Chain.CanonicalRow.Genesis);
            row.RowHash = row.ComputedHash();
            await raw.ExecuteAsync($"UPDATE {row.Table} SET prev_hash = @PrevHash, call_prev_hash = @CallPrevHash, row_hash = @RowHash WHERE {KeyColumn(row.Table)} = @RowKey", row);
            previous = row.RowHash;
            callHeads[row.CallId] = row.RowHash;
        }

        var finding = Assert.Single((await VerifyEvery4Async()).Findings);

        Assert.Equal((AuditBreak.Checkpoint, 12L), (finding.Break, finding.Position));
        Assert.Contains("rewritten", finding.Message);
    }

    [LedgerFact]
    public async Task A_verify_range_checks_only_its_positions_and_links_to_the_row_before()
    {
        await TwoChainedCallsAsync();
        await AsAttackerAsync("UPDATE call_events SET detail = 'edited' WHERE detail = 'chain-b step 5'");

        Assert.True((await VerifyEvery4Async(1, 12)).Intact);
        Assert.Equal(15L, Assert.Single((await VerifyEvery4Async(9, 16)).Findings).Position);
    }

    [LedgerFact]
    public async Task The_export_tells_the_calls_story_with_hashes_that_verify_and_the_covering_checkpoint()
    {
        var ledger = await TwoChainedCallsAsync();
        var exporter = new CallProofExporter(new Storage.LedgerConnectionFactory(ledger.Dialect, Database.ConnectionString), Database.Options(o => o.Chain.CheckpointEvery = 4).Chain);

        var document = (await exporter.ExportAsync("chain-a", CancellationToken.None))!;

        var story = document["story"]!.AsArray();
        Assert.Equal(8, story.Count);
        Assert.All(story, row => Assert.True((bool)row!["chain"]!["hashMatches"]!));
        var proof = Assert.Single(document["proof"]!.AsArray())!;
        Assert.Equal(8L, (long)proof["checkpoint"]!["position"]!);
        Assert.True((bool)proof["checkpoint"]!["signatureValid"]!);
        Assert.Equal("intact", (string)proof["chainFromFirstRowToCheckpoint"]!);
        Assert.Null(await exporter.ExportAsync("no-such-call", CancellationToken.None));
    }

    private string Instant() => Database.Provider == LedgerProviders.Sqlite ? "'2026-11-24T03:00:09.000000Z'" : "'2026-11-24T03:00:09Z'";

    private static string KeyColumn(string table) => table switch { "calls" => "call_id", "legs" => "leg_id", _ => "event_id" };

    /// <summary>Someone with the owner's rights (not the engine's) changes rows behind its back.</summary>
    private async Task AsAttackerAsync(params string[] statements)
    {
        await using var raw = await Database.OpenRawAsync();
        await DropGuardsAsync(raw);
        foreach (var statement in statements)
        {
            await raw.ExecuteAsync(statement);
        }
    }

    private async Task DropGuardsAsync(DbConnection raw)
    {
        if (Database.Provider != LedgerProviders.Sqlite)
        {
            return;
        }

        foreach (var trigger in await raw.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
        {
            await raw.ExecuteAsync($"DROP TRIGGER {trigger}");
        }

        foreach (var index in await raw.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ux_%_chain'"))
        {
            await raw.ExecuteAsync($"DROP INDEX {index}");
        }
    }

    /// <summary>Reads the chain as the verifier does, for the attacker's rewrite.</summary>
    private sealed class AuditVerifierProbe(LedgerTestDatabase database)
    {
        public async Task<List<ChainedRow>> ChainAsync()
        {
            var queries = new AuditQueries(new Storage.LedgerConnectionFactory(Storage.LedgerDialects.ForProvider(database.Provider), database.ConnectionString));
            await using var connection = await queries.OpenAsync(CancellationToken.None);
            return await queries.ChainAsync(connection, "node-a", 1, long.MaxValue, CancellationToken.None);
        }
    }
}
