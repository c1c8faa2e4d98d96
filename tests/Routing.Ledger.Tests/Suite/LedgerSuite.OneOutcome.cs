using Dapper;
using Routing.Calls.Ports;
using Routing.Ledger.Chain;
using Routing.Ledger.Storage;
using Routing.Ledger.Tests.Support;
using Routing.Ledger.Writing;

namespace Routing.Ledger.Tests.Suite;

/// <summary>
/// A call has exactly one outcome (docs/ARCHITECTURE.md), whoever writes it: the ledger keeps the first and refuses
/// any second one (its event id is derived from the call id), and the refused one is left out before it is chained,
/// so the hash chain still verifies.
/// </summary>
public abstract partial class LedgerSuite
{
    [LedgerFact]
    public async Task A_second_outcome_for_a_call_is_refused_and_counted_the_first_stays_and_the_chain_still_verifies()
    {
        var ledger = await OpenAsync(o => o.Chain.CheckpointEvery = 4);
        var journal = ledger.Journal;
        var call = Call("0193a5e0-0000-7000-8000-0000000000aa");
        var other = Call("0193a5e0-0000-7000-8000-0000000000ab");
        await journal.CallArrivedAsync(call, CancellationToken.None);
        await journal.CallArrivedAsync(other, CancellationToken.None);

        // The call's own outcome, then the reconciler that had to hand the caller over again and did not know.
        await journal.AppendAsync(Outcome(call.CallId, "FailedOver", 1), CancellationToken.None);
        await journal.AppendAsync(Event(call.CallId, "recovered", "handed to the dialplan fallback", 2), CancellationToken.None);
        await journal.AppendAsync(Outcome(call.CallId, "Completed", 3), CancellationToken.None);
        await journal.AppendAsync(Outcome(other.CallId, "Completed", 4), CancellationToken.None);
        await journal.AppendAsync(Event(other.CallId, "note", "after its outcome", 5), CancellationToken.None);

        var history = await ledger.Reader.GetCallAsync(call.CallId, CancellationToken.None);
        Assert.Equal(["outcome:FailedOver", "recovered:handed to the dialplan fallback"], history!.Events.Select(e => $"{e.Event.Kind}:{e.Event.Detail}"));
        Assert.Equal(LedgerRowFactory.OutcomeEventId(call.CallId), history.Events[0].EventId);
        var otherHistory = await ledger.Reader.GetCallAsync(other.CallId, CancellationToken.None);
        Assert.Equal(["outcome:Completed", "note:after its outcome"], otherHistory!.Events.Select(e => $"{e.Event.Kind}:{e.Event.Detail}"));
        Assert.Equal((1L, 0L, 6L), (journal.Stats.RefusedOutcomes, journal.Stats.Rejected, journal.Stats.ChainHead));
        Assert.Contains(Logs.Lines, l => l.EventId == 8115 && l.Message.Contains($"refused a second outcome (Completed) for call {call.CallId}", StringComparison.Ordinal));

        var report = await VerifyEvery4Async();
        Assert.True(report.Intact, string.Join("; ", report.Findings));
        Assert.Equal((1L, 6L, 6L), (report.Nodes[0].From, report.Nodes[0].To, report.Nodes[0].Rows));
    }

    [LedgerFact]
    public async Task Two_outcomes_of_one_call_in_one_batch_keep_the_first_and_the_chain_has_no_hole()
    {
        var ledger = await OpenAsync(o => o.Chain.CheckpointEvery = 4);
        var call = Call("0193a5e0-0000-7000-8000-0000000000ac");
        await ledger.Journal.CallArrivedAsync(call, CancellationToken.None);

        // Not awaited one by one: the writer takes whatever is queued as one batch.
        var first = ledger.Journal.AppendAsync(Outcome(call.CallId, "AbandonedInQueue", 1), CancellationToken.None).AsTask();
        var second = ledger.Journal.AppendAsync(Outcome(call.CallId, "LostDuringOutage", 2), CancellationToken.None).AsTask();
        await Task.WhenAll(first, second);

        var history = await ledger.Reader.GetCallAsync(call.CallId, CancellationToken.None);
        Assert.Equal("AbandonedInQueue", Assert.Single(history!.Events).Event.Detail);
        Assert.Equal(1, ledger.Journal.Stats.RefusedOutcomes);
        Assert.True((await VerifyEvery4Async()).Intact);
    }

    [LedgerFact]
    public async Task Another_node_cannot_give_a_call_a_second_outcome_and_both_chains_verify()
    {
        var a = await OpenAsync(o => o.Chain.CheckpointEvery = 4);
        var b = await OpenAsync(o =>
        {
            o.NodeId = "node-b";
            o.Chain.CheckpointEvery = 4;
        });
        var call = Call("0193a5e0-0000-7000-8000-0000000000ad");
        await a.Journal.CallArrivedAsync(call, CancellationToken.None);
        await a.Journal.AppendAsync(Outcome(call.CallId, "Completed", 1), CancellationToken.None);

        await b.Journal.AppendAsync(Outcome(call.CallId, "LostDuringOutage", 2), CancellationToken.None);
        await b.Journal.AppendAsync(Event(call.CallId, "note", "node-b was here", 3), CancellationToken.None);

        var history = await a.Reader.GetCallAsync(call.CallId, CancellationToken.None);
        Assert.Equal(["outcome:Completed", "note:node-b was here"], history!.Events.Select(e => $"{e.Event.Kind}:{e.Event.Detail}"));
        Assert.Equal(1, b.Journal.Stats.RefusedOutcomes);
        var report = await VerifyEvery4Async();
        Assert.True(report.Intact, string.Join("; ", report.Findings));
        Assert.Equal(["node-a", "node-b"], report.Nodes.Select(n => n.NodeId).Order());
    }

    [LedgerFact]
    public async Task A_call_recorded_before_the_guard_whose_outcome_has_a_random_id_is_refused_a_second_outcome_and_the_chain_still_verifies()
    {
        var call = Call("0193a5e0-0000-7000-8000-0000000000af");
        var oldOutcomeId = await WriteAsBeforeTheGuardAsync(call, "FailedOver");
        var ledger = await OpenAsync(o => o.Chain.CheckpointEvery = 4);

        // Restart recovery of a later engine, not knowing the call ended: its outcome's id (derived) cannot collide with the random one.
        await ledger.Journal.AppendAsync(Event(call.CallId, "recovered", "handed to the dialplan fallback", 2), CancellationToken.None);
        await ledger.Journal.AppendAsync(Outcome(call.CallId, "LostDuringOutage", 3), CancellationToken.None);
        await ledger.Journal.AppendAsync(Event(call.CallId, "note", "after its outcome", 4), CancellationToken.None);

        var history = await ledger.Reader.GetCallAsync(call.CallId, CancellationToken.None);
        Assert.Equal(
            ["outcome:FailedOver", "recovered:handed to the dialplan fallback", "note:after its outcome"],
            history!.Events.Select(e => $"{e.Event.Kind}:{e.Event.Detail}"));
        Assert.Equal(oldOutcomeId, history.Events[0].EventId);
        Assert.False(history.IsOpen);
        Assert.Equal((1L, 0L, 4L), (ledger.Journal.Stats.RefusedOutcomes, ledger.Journal.Stats.Rejected, ledger.Journal.Stats.ChainHead));
        Assert.Contains(Logs.Lines, l => l.EventId == 8115 && l.Message.Contains($"refused a second outcome (LostDuringOutage) for call {call.CallId}", StringComparison.Ordinal));

        var report = await VerifyEvery4Async();
        Assert.True(report.Intact, string.Join("; ", report.Findings));
        Assert.Equal((1L, 4L, 4L), (report.Nodes[0].From, report.Nodes[0].To, report.Nodes[0].Rows));
    }

    /// <summary>What an engine from before the one-outcome guard left: the call and its outcome chained by the same
    /// linker and statements the writer uses, the outcome's event id random (version 7) like every other event's.</summary>
    private async Task<string> WriteAsBeforeTheGuardAsync(CallRecord call, string outcome)
    {
        // A ledger opened and closed first, so the schema is there.
        await (await LedgerFactory.CreateAsync(Database.Options(), Logs, TimeProvider.System, CancellationToken.None)).DisposeAsync();
        var options = Database.Options(o => o.Chain.CheckpointEvery = 4);
        var dialect = LedgerDialects.ForProvider(Database.Provider);
        var rows = new LedgerRowFactory(dialect, options.NodeId, TimeProvider.System);
        var randomId = Guid.CreateVersion7().ToString("D");
        var statements = new LedgerStatements(dialect);
        await using var connection = await new LedgerConnectionFactory(dialect, Database.ConnectionString).OpenAsync(CancellationToken.None);
        await using var transaction = await dialect.BeginWriteTransactionAsync(connection, CancellationToken.None);
        var linker = new ChainLinker(dialect, options.NodeId, CheckpointSigner.From(options.Chain), 4, TimeProvider.System);
        await linker.LoadHeadAsync(connection, CancellationToken.None);
        var linked = await linker.LinkAsync(
            connection, transaction, [rows.Call(call), rows.Event(Outcome(call.CallId, outcome, 1)) with { EventId = randomId }], mayRepeat: false, CancellationToken.None);
        foreach (var row in linked.Rows)
        {
            await connection.ExecuteAsync(new CommandDefinition(statements.For(row), row, transaction));
        }

        await transaction.CommitAsync();
        return randomId;
    }

    [LedgerFact]
    public async Task A_record_written_twice_leaves_no_hole_in_the_chain()
    {
        // Any chained row the database ignores (its key is already there) would be a position with no row.
        var ledger = await OpenAsync(o => o.Chain.CheckpointEvery = 4);
        var call = Call("0193a5e0-0000-7000-8000-0000000000ae");
        await ledger.Journal.CallArrivedAsync(call, CancellationToken.None);
        await ledger.Journal.CallArrivedAsync(call, CancellationToken.None);
        await ledger.Journal.AppendAsync(Event(call.CallId, "state", "Arrived -> Answered", 1), CancellationToken.None);

        var report = await VerifyEvery4Async();
        Assert.True(report.Intact, string.Join("; ", report.Findings));
        Assert.Equal(2L, ledger.Journal.Stats.ChainHead);
    }
}
