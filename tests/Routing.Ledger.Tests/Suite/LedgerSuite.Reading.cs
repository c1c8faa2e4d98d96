using Routing.Ledger.Tests.Support;

namespace Routing.Ledger.Tests.Suite;

public abstract partial class LedgerSuite
{
    [LedgerFact]
    public async Task Open_calls_are_those_without_an_outcome()
    {
        var ledger = await OpenAsync();
        var journal = ledger.Journal;
        await journal.CallArrivedAsync(Call("a-completed", 1), CancellationToken.None);
        await journal.CallArrivedAsync(Call("b-still-ringing", 2), CancellationToken.None);
        await journal.CallArrivedAsync(Call("c-abandoned", 3), CancellationToken.None);
        await journal.CallArrivedAsync(Call("d-just-in", 4), CancellationToken.None);
        await journal.AppendAsync(Event("b-still-ringing", "leg.ringing", "fire-almaty-1"), CancellationToken.None);
        await journal.AppendAsync(Outcome("a-completed", "Completed"), CancellationToken.None);
        await journal.AppendAsync(Outcome("c-abandoned", "AbandonedInQueue"), CancellationToken.None);

        var open = await ledger.Reader.ListOpenCallsAsync(CancellationToken.None);

        Assert.Equal(["b-still-ringing", "d-just-in"], open.Select(c => c.Call.CallId));
        Assert.True((await ledger.Reader.GetCallAsync("b-still-ringing", CancellationToken.None))!.IsOpen);
    }

    [LedgerFact]
    public async Task Outcomes_are_counted_by_name_from_a_point_in_time()
    {
        var ledger = await OpenAsync();
        string[] outcomes = ["Completed", "Completed", "FailedOver", "Completed", "AbandonedInIvr"];
        for (var i = 0; i < outcomes.Length; i++)
        {
            await ledger.Journal.CallArrivedAsync(Call($"call-{i}"), CancellationToken.None);
            await ledger.Journal.AppendAsync(Outcome($"call-{i}", outcomes[i], second: 100 + i), CancellationToken.None);
        }

        var all = await ledger.Reader.CountOutcomesAsync(T0, CancellationToken.None);
        var lastTwo = await ledger.Reader.CountOutcomesAsync(T0.AddSeconds(103), CancellationToken.None);

        Assert.Equal(new Dictionary<string, long> { ["Completed"] = 3, ["FailedOver"] = 1, ["AbandonedInIvr"] = 1 }, all);
        Assert.Equal(new Dictionary<string, long> { ["Completed"] = 1, ["AbandonedInIvr"] = 1 }, lastTwo);
        Assert.Empty(await ledger.Reader.CountOutcomesAsync(T0.AddHours(1), CancellationToken.None));
    }

    [LedgerFact]
    public async Task Recent_calls_come_newest_first_and_a_caller_channel_finds_its_call()
    {
        var ledger = await OpenAsync();
        for (var i = 0; i < 5; i++)
        {
            await ledger.Journal.CallArrivedAsync(Call($"call-{i}", second: i, callerChannelId: $"1732417200.{i}"), CancellationToken.None);
        }

        var recent = await ledger.Reader.RecentCallsAsync(3, CancellationToken.None);
        var found = await ledger.Reader.FindByCallerChannelAsync("1732417200.2", CancellationToken.None);

        Assert.Equal(["call-4", "call-3", "call-2"], recent.Select(c => c.Call.CallId));
        Assert.Equal("call-2", Assert.Single(found).Call.CallId);
        Assert.Empty(await ledger.Reader.FindByCallerChannelAsync("1732417200.99", CancellationToken.None));
        Assert.Null(await ledger.Reader.GetCallAsync("never-recorded", CancellationToken.None));
    }
}
