using Dapper;
using Routing.Calls.Ports;
using Routing.Ledger.Storage;
using Routing.Ledger.Tests.Support;
using Routing.Ledger.Writing;

namespace Routing.Ledger.Tests.Suite;

public abstract partial class LedgerSuite
{
    [LedgerFact]
    public async Task A_calls_records_land_as_written_and_in_order()
    {
        var ledger = await OpenAsync();
        var journal = ledger.Journal;
        var call = Call("0193a5e0-0000-7000-8000-000000000001");
        var leg1 = Leg(call.CallId, "leg-1", attempt: 1);
        var leg2 = Leg(call.CallId, "leg-2", attempt: 2);
        CallEventRecord[] events =
        [
            Event(call.CallId, "state", "Arrived -> Answered", 1),
            Event(call.CallId, "dtmf", "1", 2),
            Event(call.CallId, "classified", "fire", 3),
            Event(call.CallId, "leg.ringing", "fire-almaty-1", 4, leg1.LegId),
            Event(call.CallId, "leg.ended", "17 User busy", 5, leg1.LegId),
            Event(call.CallId, "leg.answered", "fire-almaty-2", 6, leg2.LegId),
            Outcome(call.CallId, "Completed", 7),
        ];

        await journal.CallArrivedAsync(call, CancellationToken.None);
        await journal.LegPlannedAsync(leg1, CancellationToken.None);
        await journal.LegPlannedAsync(leg2, CancellationToken.None);
        foreach (var callEvent in events)
        {
            await journal.AppendAsync(callEvent, CancellationToken.None);
        }

        // Each awaited write was committed before it returned: write before act.
        var history = await ledger.Reader.GetCallAsync(call.CallId, CancellationToken.None);
        Assert.NotNull(history);
        Assert.Equal(new StoredCall(call, "node-a"), history.Call);
        Assert.Equal([leg1, leg2], history.Legs.Select(l => l.Leg));
        Assert.Equal(events, history.Events.Select(e => e.Event));
        Assert.True(history.Events.Zip(history.Events.Skip(1)).All(pair => pair.First.Seq < pair.Second.Seq));
        Assert.Equal(history.Events.Count, history.Events.Select(e => e.EventId).Distinct().Count());
        Assert.False(history.IsOpen);
        Assert.Equal(new LedgerStats(10, 0, 0, 0, 0, 0, 0, null, ChainHead: 10), journal.Stats);
    }

    [LedgerFact]
    public async Task Replaying_the_same_rows_inserts_nothing_twice()
    {
        var ledger = await OpenAsync();
        var statements = new LedgerStatements(ledger.Dialect);
        var rows = new LedgerRowFactory(ledger.Dialect, "node-a", TimeProvider.System);
        var callRow = rows.Call(Call("replayed"));
        var legRow = rows.Leg(Leg("replayed", "leg-r"));
        var eventRow = rows.Event(Event("replayed", "state", "Arrived -> Answered"));

        await using var raw = await Database.OpenRawAsync();
        for (var replay = 0; replay < 3; replay++)
        {
            await raw.ExecuteAsync(statements.InsertCall, callRow);
            await raw.ExecuteAsync(statements.InsertLeg, legRow);
            await raw.ExecuteAsync(statements.InsertEvent, eventRow);
        }

        var history = await ledger.Reader.GetCallAsync("replayed", CancellationToken.None);
        Assert.NotNull(history);
        Assert.Single(history.Legs);
        Assert.Equal(eventRow.EventId, Assert.Single(history.Events).EventId);
    }

    [LedgerFact]
    public async Task Bad_records_are_refused_naming_the_field_and_the_journal_goes_on()
    {
        var ledger = await OpenAsync();
        var journal = ledger.Journal;

        var empty = await Assert.ThrowsAsync<ArgumentException>(() => journal.CallArrivedAsync(Call("x") with { CallId = "" }, CancellationToken.None).AsTask());
        Assert.Contains("call.CallId", empty.Message);
        var huge = await Assert.ThrowsAsync<ArgumentException>(() => journal.AppendAsync(Event("x", new string('k', 300), "detail"), CancellationToken.None).AsTask());
        Assert.Contains("event.Kind", huge.Message);
        var nullText = await Assert.ThrowsAsync<ArgumentNullException>(() => journal.LegPlannedAsync(Leg("x", "leg-x") with { Endpoint = null! }, CancellationToken.None).AsTask());
        Assert.Contains("leg.Endpoint", nullText.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => journal.LegPlannedAsync(Leg("x", "leg-x", attempt: 0), CancellationToken.None).AsTask());

        await journal.CallArrivedAsync(Call("after-bad-input"), CancellationToken.None);
        Assert.NotNull(await ledger.Reader.GetCallAsync("after-bad-input", CancellationToken.None));
        Assert.Equal(new LedgerStats(1, 0, 0, 0, 0, 0, 0, null, ChainHead: 1), journal.Stats);
    }

    [LedgerFact]
    public async Task Hostile_strings_round_trip_exactly()
    {
        var ledger = await OpenAsync();
        var controlChars = string.Concat(Enumerable.Range(1, 31).Select(c => (char)c)) + "\u007f\u0085\u2028\u2029";
        string[] hostile =
        [
            "'; DROP TABLE calls; --",
            "\"quoted\" 'single' `back` \\backslash\\ %s %n {0} @CallId $1 ?",
            new string('9', 10 * 1024) + "end",
            controlChars,
            "Алматы 112 — 緊急 — طوارئ — 🚒🚑👮 — e\u0301 — \uFEFFbom",
            "\r\n\tline\r\nbreaks\n",
            " leading and trailing spaces ",
            "",
        ];

        for (var i = 0; i < hostile.Length; i++)
        {
            var text = hostile[i];
            var call = new CallRecord($"hostile-{i}", $"chan-{i}", text, text, "112", T0.AddSeconds(i));
            var leg = Leg(call.CallId, $"hostile-leg-{i}") with { Endpoint = text };
            var callEvent = Event(call.CallId, "dtmf", text);
            await ledger.Journal.CallArrivedAsync(call, CancellationToken.None);
            await ledger.Journal.LegPlannedAsync(leg, CancellationToken.None);
            await ledger.Journal.AppendAsync(callEvent, CancellationToken.None);

            var history = await ledger.Reader.GetCallAsync(call.CallId, CancellationToken.None);
            Assert.NotNull(history);
            Assert.Equal(call, history.Call.Call);
            Assert.Equal(leg, Assert.Single(history.Legs).Leg);
            Assert.Equal(callEvent, Assert.Single(history.Events).Event);
        }

        // Hostile text also works as a lookup key, as a parameter and never as SQL.
        var injection = await ledger.Reader.FindByCallerChannelAsync("' OR '1'='1", CancellationToken.None);
        Assert.Empty(injection);
        Assert.Equal(hostile.Length, (await ledger.Reader.RecentCallsAsync(100, CancellationToken.None)).Count);
    }

    [LedgerFact]
    public async Task Text_no_database_can_hold_is_stored_with_visible_replacements()
    {
        var ledger = await OpenAsync();
        var call = Call("nul-caller") with { CallerNumber = "77\u00000\uD800x\uDC00" + "😀" };

        await ledger.Journal.CallArrivedAsync(call, CancellationToken.None);

        var stored = (await ledger.Reader.GetCallAsync(call.CallId, CancellationToken.None))!.Call.Call;
        // NUL becomes U+2400 and a lone surrogate U+FFFD on every provider; paired surrogates are kept.
        Assert.Equal("77\u24000\uFFFDx\uFFFD😀", stored.CallerNumber);
    }
}
