using Routing.Calls.Ports;
using Routing.Calls.Tests.Fakes;

namespace Routing.Calls.Tests;

/// <summary>
/// Write before act, waited for once per act (issue 11, item 2): the records a call makes between two acts
/// (state changes, classification, plan, leg) go to the journal together and the call waits for them before
/// it acts, instead of waiting for each in turn. Each wait is a trip through the ledger's writer; eight in a
/// row sat between a caller's StasisStart and its agency's INVITE on a real Asterisk.
/// </summary>
public class JournalGroupingTests
{
    private const string Caller = CallHarness.CallerChannel;

    [Fact]
    public async Task The_records_before_the_dial_wait_for_the_ledger_together_and_the_dial_waits_for_all_of_them()
    {
        var h = new CallHarness(["direct", "fire"]);
        h.Journal.Gated = true;
        h.Call.Start();

        // The arrival's records are committed before the caller is answered.
        await h.UntilAsync(() => h.Journal.Uncommitted > 0, "the arrival's record");
        h.Journal.CommitAll();
        await h.UntilAsync(() => h.Log.Entries.Contains($"telephony:answer {Caller}"), "the answer");

        // After the answer the call records its state changes, classification, plan and leg, and only then
        // waits: the journal holds several of its records at once (one by one, it never held more than one).
        await h.UntilAsync(() => h.Journal.Uncommitted >= 2, "more than one record handed to the journal before the call waits");
        Assert.Empty(h.Telephony.Dials);

        await CommitUntilAsync(h, () => h.Telephony.Dials.Count > 0, "the dial");
        Assert.Single(h.Telephony.Dials);
        AssertEveryActFollowsTheCommitOfEveryEarlierRecord(h.Log.Entries);
    }

    [Fact]
    public async Task A_call_that_ends_leaves_no_record_unwritten_behind_it()
    {
        var h = new CallHarness(["direct", "fire"]);
        h.Journal.Gated = true;
        h.Call.Start();
        await CommitUntilAsync(h, () => h.Telephony.Dials.Count > 0, "the dial");
        h.Call.Post(new CallInput.CallerHungUp(16));
        await CommitUntilAsync(h, () => h.Call.Completion.IsCompleted, "the end of the call");

        Assert.Equal(0, h.Journal.Uncommitted);
        Assert.Single(h.Outcomes);
        AssertEveryActFollowsTheCommitOfEveryEarlierRecord(h.Log.Entries);
    }

    /// <summary>Commits what the call hands over, group by group (bounded), until <paramref name="done"/>.</summary>
    private static async Task CommitUntilAsync(CallHarness h, Func<bool> done, string what)
    {
        for (var group = 0; group < 50 && !done(); group++)
        {
            await h.UntilAsync(() => h.Journal.Uncommitted > 0 || done(), what);
            h.Journal.CommitAll();
        }

        Assert.True(done(), what);
    }

    /// <summary>Every telephony command comes after a <c>journal:committed</c> that follows every write before it.</summary>
    private static void AssertEveryActFollowsTheCommitOfEveryEarlierRecord(IReadOnlyList<string> log)
    {
        var lastWrite = -1;
        var lastCommit = -1;
        for (var i = 0; i < log.Count; i++)
        {
            var entry = log[i];
            if (entry.StartsWith("journal:committed", StringComparison.Ordinal)) lastCommit = i;
            else if (entry.StartsWith("journal:", StringComparison.Ordinal)) lastWrite = i;
            else if (entry.StartsWith("telephony:", StringComparison.Ordinal))
                Assert.True(lastCommit > lastWrite, $"'{entry}' acted before the record at {lastWrite} ('{log[lastWrite]}') was committed:\n{string.Join("\n", log)}");
        }
    }
}
