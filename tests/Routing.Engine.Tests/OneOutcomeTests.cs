using Routing.Calls;
using Routing.Engine.Calls;
using Routing.Ledger;
using Routing.Simulator;

namespace Routing.Engine.Tests;

/// <summary>
/// Exactly one outcome per call (docs/ARCHITECTURE.md), even when the call's own hand-over to the
/// dialplan gets no answer (an overloaded Asterisk, bench-asterisk overload run of 2026-12-06: 104
/// of 750 calls were recorded FailedOver twice) and the reconciler has to hand the caller over again.
/// </summary>
public sealed class OneOutcomeTests
{
    [Fact]
    public async Task A_caller_left_in_Stasis_by_an_unanswered_continue_is_handed_over_again_without_a_second_outcome()
    {
        await using var harness = await EngineHarness.StartAsync(
            sim => sim.UnknownEndpointBehavior = TrunkBehavior.Busy(TimeSpan.FromMilliseconds(20)),
            new Dictionary<string, string?> { ["Routing:Timers:Answer"] = "00:00:02" });
        // The call's own continue is neither performed nor answered: the caller stays in our app.
        harness.Asterisk.StallRequests("POST", "continue");

        var call = await harness.Asterisk.PlaceCallAsync(new CallScript("+77271230001", "101"), CancellationToken.None);
        await harness.WaitUntilAsync(() => call.FallbackEndpoint is not null, "the reconciler to hand the stranded caller to the dialplan fallback");
        call.HangUp();
        await call.Ended.WaitAsync(EngineHarness.CallTimeout);

        var history = await WaitForHistoryAsync(harness, call.ChannelId, h => h.Events.Any(e => e.Event.Kind is RestartRecovery.HandOverRetried or "recovered"));
        var story = LedgerView.From(history).ToString();
        Assert.Single(history.Events, e => e.Event.Kind == LedgerEventKinds.Outcome);
        Assert.Equal("FailedOver", history.Events.Single(e => e.Event.Kind == LedgerEventKinds.Outcome).Event.Detail);
        Assert.Contains(history.Events, e => e.Event.Kind == FailoverEvents.Failed && e.Event.Detail == $"continue {call.ChannelId} (Failed): no answer within 00:00:02");
        Assert.True(history.Events.Any(e => e.Event.Kind == RestartRecovery.HandOverRetried), story);
        Assert.Contains("fire", call.FallbackEndpoint!, StringComparison.Ordinal);
        var continues = harness.Asterisk.Requests.Where(r => r.Method == "POST" && r.Path.EndsWith($"/channels/{call.ChannelId}/continue", StringComparison.Ordinal)).ToList();
        Assert.Equal([0, 204], continues.Select(r => r.Status));
    }

    [Fact]
    public async Task The_failover_and_its_target_are_on_the_ledger_before_the_continue_reaches_Asterisk_and_an_unanswered_continue_is_failover_failed()
    {
        // The continue is held unanswered for the whole command bound (10 s): time enough, on a busy box, for the
        // ledger to commit what the engine wrote before it (the engine may act once a record is in its spool).
        await using var harness = await EngineHarness.StartAsync(
            sim => sim.UnknownEndpointBehavior = TrunkBehavior.Busy(TimeSpan.FromMilliseconds(20)),
            new Dictionary<string, string?> { ["Routing:Timers:Answer"] = "00:00:10", ["Asterisk:Ari:RequestTimeout"] = "00:00:30" });
        harness.Asterisk.StallRequests("POST", "continue");

        var call = await harness.Asterisk.PlaceCallAsync(new CallScript("+77271230002", "101"), CancellationToken.None);
        var continuePath = $"/channels/{call.ChannelId}/continue";
        await harness.WaitUntilAsync(
            () => harness.Asterisk.StalledRequests.Any(r => r.Method == "POST" && r.Path.EndsWith(continuePath, StringComparison.Ordinal)),
            "the call's continue to reach the simulated Asterisk");

        // The continue is with Asterisk, unanswered: the intent is already on the ledger, nothing else yet.
        await harness.LedgerCaughtUpAsync();
        Assert.Contains(harness.Asterisk.StalledRequests, r => r.Path.EndsWith(continuePath, StringComparison.Ordinal));
        var atContinue = await WaitForHistoryAsync(harness, call.ChannelId, _ => true);
        var tried = Assert.Single(atContinue.Events, e => e.Event.Kind == FailoverEvents.Tried);
        Assert.Equal("to dialplan: agency fire, region almaty", tried.Event.Detail);
        Assert.DoesNotContain(atContinue.Events, e => e.Event.Kind is FailoverEvents.Failed or LedgerEventKinds.Outcome);

        var history = await WaitForHistoryAsync(harness, call.ChannelId, h => !h.IsOpen);
        var kinds = history.Events.Select(e => e.Event.Kind).ToList();
        Assert.True(
            kinds.IndexOf(FailoverEvents.Tried) < kinds.IndexOf(FailoverEvents.Failed) && kinds.IndexOf(FailoverEvents.Failed) < kinds.IndexOf(LedgerEventKinds.Outcome),
            LedgerView.From(history).ToString());
        Assert.Equal($"continue {call.ChannelId} (Failed): no answer within 00:00:10", history.Events.Single(e => e.Event.Kind == FailoverEvents.Failed).Event.Detail);
        await harness.WaitUntilAsync(() => call.FallbackEndpoint is not null, "the reconciler to hand the stranded caller to the dialplan fallback");
        call.HangUp();
        await call.Ended.WaitAsync(EngineHarness.CallTimeout);
    }

    private static async Task<CallHistory> WaitForHistoryAsync(EngineHarness harness, string callerChannelId, Func<CallHistory, bool> done)
    {
        CallHistory? history = null;
        await harness.WaitUntilAsync(
            async () =>
            {
                var calls = await harness.Engine.Ledger.FindByCallerChannelAsync(callerChannelId, CancellationToken.None);
                history = calls.Count == 0 ? null : (await harness.Engine.Ledger.GetCallAsync(calls[0].Call.CallId, CancellationToken.None));
                return history is not null && done(history);
            },
            $"the ledger to record the repeated hand-over of caller channel {callerChannelId}");
        return history!;
    }
}
