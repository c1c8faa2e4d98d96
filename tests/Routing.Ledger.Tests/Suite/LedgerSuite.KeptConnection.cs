using Dapper;
using Routing.Ledger.Tests.Support;

namespace Routing.Ledger.Tests.Suite;

/// <summary>Issue 11: the single writer keeps its connection (configured once) and its insert commands across
/// commits, and replaces them after a failed write without losing, reordering or unchaining a record.</summary>
public abstract partial class LedgerSuite
{
    [LedgerFact]
    public async Task The_writer_keeps_one_connection_and_one_insert_command_per_table_across_commits()
    {
        var ledger = await OpenAsync(o => o.Chain.CheckpointEvery = 4);
        await ledger.Journal.CallArrivedAsync(Call("kept"), CancellationToken.None);
        await ledger.Journal.LegPlannedAsync(Leg("kept", "kept-leg"), CancellationToken.None);
        var events = Enumerable.Range(1, 20).Select(i => Event("kept", "state", $"step {i}", i)).ToList();
        foreach (var callEvent in events)
        {
            // Awaited one by one: every record is a commit of its own.
            await ledger.Journal.AppendAsync(callEvent, CancellationToken.None);
        }

        Assert.Equal(1, ledger.Journal.WriterConnectionsOpened);
        Assert.Equal(3, ledger.Journal.InsertCommandsMade); // calls, legs, call_events
        var history = await ledger.Reader.GetCallAsync("kept", CancellationToken.None);
        Assert.Equal(events, history!.Events.Select(e => e.Event));
        Assert.True((await VerifyEvery4Async()).Intact);
    }

    [LedgerFact]
    public async Task After_a_failed_write_the_writer_opens_a_fresh_connection_and_the_held_records_land_in_order_and_chained()
    {
        var ledger = await OpenAsync(o =>
        {
            o.WriteBeforeActTimeout = TimeSpan.FromMilliseconds(100);
            o.Chain.CheckpointEvery = 4;
        });
        await ledger.Journal.CallArrivedAsync(Call("replaced"), CancellationToken.None);
        await AllWrittenAsync(ledger);
        Assert.Equal(1, ledger.Journal.WriterConnectionsOpened);

        await using var raw = await Database.OpenRawAsync();
        await raw.ExecuteAsync("ALTER TABLE call_events RENAME TO call_events_away");
        var events = Enumerable.Range(1, 5).Select(i => Event("replaced", "state", $"during {i}", i)).ToList();
        foreach (var callEvent in events)
        {
            await ledger.Journal.AppendAsync(callEvent, CancellationToken.None);
        }

        await Eventually.TrueAsync(() => ledger.Journal.Stats.Failures >= 1, "the kept connection's write failing");
        await raw.ExecuteAsync("ALTER TABLE call_events_away RENAME TO call_events");
        await AllWrittenAsync(ledger);

        Assert.True(ledger.Journal.WriterConnectionsOpened >= 2, $"the connection that failed was kept ({ledger.Journal.WriterConnectionsOpened} opened)");
        var history = await ledger.Reader.GetCallAsync("replaced", CancellationToken.None);
        Assert.Equal(events, history!.Events.Select(e => e.Event));
        Assert.True((await VerifyEvery4Async()).Intact);
    }
}
