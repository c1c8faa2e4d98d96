using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Routing.Asterisk.Ari;
using Routing.Calls;
using Routing.Calls.Ports;
using Routing.Engine.Calls;
using Routing.Engine.Hosting;
using Routing.Ledger;
using Routing.Simulator;

namespace Routing.Engine.Tests;

/// <summary>
/// The engine stops or crashes with calls in progress. On a clean stop, waiting callers are handed
/// to the dialplan at once. After a crash, the next engine closes every open call of the earlier run
/// explicitly and never pulls a caller out of a conversation with an agency.
/// </summary>
public sealed class RestartTests
{
    private static readonly DateTimeOffset LongAgo = DateTimeOffset.UtcNow.AddMinutes(-5);

    [Fact]
    public async Task On_a_clean_stop_a_caller_still_waiting_is_handed_to_the_dialplan_fallback()
    {
        await using var harness = await EngineHarness.StartAsync(sim => sim.UnknownEndpointBehavior = TrunkBehavior.Answers(TimeSpan.FromSeconds(60)));
        var call = await harness.Asterisk.PlaceCallAsync(new CallScript("+77271234567", "101", HangUpAfter: TimeSpan.FromSeconds(30)), CancellationToken.None);
        await harness.WaitUntilAsync(() => harness.Engine.Calls.Count == 1 && harness.Asterisk.LiveChannelIds.Count == 2, "the call to be ringing the fire trunk");

        await harness.RestartEngineAsync();

        Assert.NotNull(call.FallbackEndpoint);
        var record = await harness.WaitForOutcomeAsync(call.ChannelId);
        Assert.Equal("FailedOver", record.Outcome);
        Assert.Contains("engine.stopping", record.EventKinds);
        await harness.WaitUntilAsync(() => !harness.Asterisk.LiveChannelIds.Any(id => id.StartsWith("fire-", StringComparison.Ordinal)), "the ringing agency leg to be released");
    }

    [Fact]
    public async Task After_a_crash_a_caller_left_in_our_app_is_handed_to_the_dialplan_and_its_open_call_closed()
    {
        SimulatedCall? call = null;
        await using var harness = await EngineHarness.StartAsync(beforeEngine: async (sim, configuration) =>
        {
            await using var crashed = await CrashedEngine.StartAsync(sim, configuration);
            call = await sim.PlaceCallAsync(new CallScript("+77271234567", "102", HangUpAfter: TimeSpan.FromSeconds(30)), CancellationToken.None);
            await crashed.WaitForStasisStartAsync(call.ChannelId);
            await crashed.RecordOpenCallAsync(call.ChannelId, connected: false);
        });

        await harness.WaitUntilAsync(() => call!.FallbackEndpoint is not null, "the orphaned caller to reach the dialplan fallback");
        var record = await harness.WaitForOutcomeAsync(call!.ChannelId);
        Assert.Equal("FailedOver", record.Outcome);
        Assert.Contains("recovered", record.EventKinds);
    }

    [Fact]
    public async Task A_caller_in_our_app_that_no_run_ever_recorded_is_handed_over_and_put_on_record()
    {
        SimulatedCall? call = null;
        await using var harness = await EngineHarness.StartAsync(beforeEngine: async (sim, configuration) =>
        {
            // The earlier run died between StasisStart and its first ledger write.
            await using var crashed = await CrashedEngine.StartAsync(sim, configuration);
            call = await sim.PlaceCallAsync(new CallScript("+77171230000", "103", HangUpAfter: TimeSpan.FromSeconds(30)), CancellationToken.None);
            await crashed.WaitForStasisStartAsync(call.ChannelId);
        });

        await harness.WaitUntilAsync(() => call!.FallbackEndpoint is not null, "the unrecorded caller to reach the dialplan fallback");
        var record = await harness.WaitForOutcomeAsync(call!.ChannelId);
        Assert.Equal(("recovered", "FailedOver", "+77171230000"), (record.Entry, record.Outcome, record.CallerNumber));
    }

    [Fact]
    public async Task An_orphan_callers_hand_over_is_on_the_ledger_before_the_continue_reaches_Asterisk_and_an_unanswered_one_is_failover_failed()
    {
        // Write before act, as a call's own failover: the reconciler's continue is held unanswered for the ARI client's whole
        // bound (10 s), time enough on a busy box for the ledger to show what the engine wrote before sending it.
        SimulatedCall? call = null;
        await using var harness = await EngineHarness.StartAsync(
            settings: new Dictionary<string, string?> { ["Asterisk:Ari:RequestTimeout"] = "00:00:10" },
            beforeEngine: async (sim, configuration) =>
            {
                await using var crashed = await CrashedEngine.StartAsync(sim, configuration);
                call = await sim.PlaceCallAsync(new CallScript("+77271234567", "102", HangUpAfter: TimeSpan.FromSeconds(60)), CancellationToken.None);
                await crashed.WaitForStasisStartAsync(call.ChannelId);
                await crashed.RecordOpenCallAsync(call.ChannelId, connected: false);
                sim.StallRequests("POST", "continue");
            });
        var continuePath = $"/channels/{call!.ChannelId}/continue";
        await harness.WaitUntilAsync(
            () => harness.Asterisk.StalledRequests.Any(r => r.Method == "POST" && r.Path.EndsWith(continuePath, StringComparison.Ordinal)),
            "the reconciler's continue to reach the simulated Asterisk");

        // The continue is with Asterisk, unanswered: the hand-over is on record already, its result is not.
        await harness.LedgerCaughtUpAsync();
        Assert.Contains(harness.Asterisk.StalledRequests, r => r.Path.EndsWith(continuePath, StringComparison.Ordinal));
        var atContinue = await HistoryAsync(harness, call.ChannelId);
        Assert.Equal("orphan caller: to the dialplan fallback", Assert.Single(atContinue.Events, e => e.Event.Kind == FailoverEvents.Tried).Event.Detail);
        Assert.DoesNotContain(atContinue.Events, e => e.Event.Kind is FailoverEvents.Failed or LedgerEventKinds.Outcome);
        Assert.True(atContinue.IsOpen);

        // No answer: failover.failed with what the ARI client said, the call stays open, and the next pass hands the caller over.
        await harness.WaitUntilAsync(() => call.FallbackEndpoint is not null, "the next pass to hand the caller to the dialplan fallback");
        var record = await harness.WaitForOutcomeAsync(call.ChannelId);
        Assert.Equal("FailedOver", record.Outcome);
        var history = await HistoryAsync(harness, call.ChannelId);
        var kinds = history.Events.Select(e => e.Event.Kind).Where(k => k is "recovered" or FailoverEvents.Tried or FailoverEvents.Failed or LedgerEventKinds.Outcome).ToList();
        Assert.Equal(["recovered", FailoverEvents.Tried, FailoverEvents.Failed, "recovered", FailoverEvents.Tried, LedgerEventKinds.Outcome], kinds);
        Assert.StartsWith($"continue {call.ChannelId}: ", history.Events.Single(e => e.Event.Kind == FailoverEvents.Failed).Event.Detail, StringComparison.Ordinal);
        var continues = harness.Asterisk.Requests.Where(r => r.Method == "POST" && r.Path.EndsWith(continuePath, StringComparison.Ordinal)).ToList();
        Assert.Equal([0, 204], continues.Select(r => r.Status));
    }

    private static async Task<CallHistory> HistoryAsync(EngineHarness harness, string callerChannelId)
    {
        var calls = await harness.Engine.Ledger.FindByCallerChannelAsync(callerChannelId, CancellationToken.None);
        return (await harness.Engine.Ledger.GetCallAsync(Assert.Single(calls).Call.CallId, CancellationToken.None))!;
    }

    [Fact]
    public async Task After_a_crash_a_call_whose_caller_is_gone_is_closed_as_lost_with_a_callback_task()
    {
        const string vanishedChannel = "1795000000.1";
        await using var harness = await EngineHarness.StartAsync(beforeEngine: async (sim, configuration) =>
        {
            await using var crashed = await CrashedEngine.StartAsync(sim, configuration);
            await crashed.RecordOpenCallAsync(vanishedChannel, connected: false);
        });

        var record = await harness.WaitForOutcomeAsync(vanishedChannel);
        Assert.Equal("LostDuringOutage", record.Outcome);
        Assert.Contains("callback.required", record.EventKinds);
    }

    [Fact]
    public async Task After_a_crash_a_caller_talking_to_an_agency_is_left_talking_and_the_call_completes_when_they_hang_up()
    {
        SimulatedCall? call = null;
        await using var harness = await EngineHarness.StartAsync(beforeEngine: async (sim, configuration) =>
        {
            await using var crashed = await CrashedEngine.StartAsync(sim, configuration);
            call = await sim.PlaceCallAsync(new CallScript("+77271234567", "102"), CancellationToken.None);
            await crashed.WaitForStasisStartAsync(call.ChannelId);
            await crashed.BridgeWithAgencyAsync(call.ChannelId, "police-almaty-1");
            await crashed.RecordOpenCallAsync(call.ChannelId, connected: true);
        });

        // Several sweeps pass (0.5 s apart in the harness): the conversation must survive them all.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(call!.Ended.IsCompleted);
        Assert.Equal(2, harness.Asterisk.LiveChannelIds.Count);

        call.HangUp();
        var record = await harness.WaitForOutcomeAsync(call.ChannelId);
        Assert.Equal("Completed", record.Outcome);
        await harness.WaitUntilAsync(() => harness.Asterisk.LiveChannelIds.Count == 0, "the agency leg to be released after the caller left");
    }

    [Theory]
    [InlineData("caller")]
    [InlineData("agency")]
    public async Task When_one_side_of_a_conversation_adopted_after_a_crash_hangs_up_the_other_side_is_released_at_once_and_the_end_recorded_as_seen(string hangsUp)
    {
        SimulatedCall? call = null;
        string? leg = null;
        var settings = new Dictionary<string, string?> { ["Asterisk:SweepInterval"] = "00:10:00" };
        await using var harness = await EngineHarness.StartAsync(settings: settings, beforeEngine: async (sim, configuration) =>
        {
            await using var crashed = await CrashedEngine.StartAsync(sim, configuration);
            call = await sim.PlaceCallAsync(new CallScript("+77271234567", "102"), CancellationToken.None);
            await crashed.WaitForStasisStartAsync(call.ChannelId);
            leg = await crashed.BridgeWithAgencyAsync(call.ChannelId, "police-almaty-1");
            await crashed.RecordOpenCallAsync(call.ChannelId, connected: true);
        });

        // The pass on connecting finds the conversation; no periodic sweep comes for ten minutes.
        await harness.WaitUntilAsync(() => harness.Engine.Host.Services.GetRequiredService<Reconciler>().Passes >= 1, "the first reconcile pass");
                if (hangsUp == "caller")
        {
            call!.HangUp();
        }
        else
        {
            // The agency's side goes away (a DELETE has the same event order as a far-end BYE on a bridged leg).
            await harness.Engine.Host.Services.GetRequiredService<IAriRestClient>().HangupAsync(leg!, "normal");
        }

        await harness.WaitUntilAsync(() => harness.Asterisk.LiveChannelIds.Count == 0, "the other side to be hung up without waiting for a sweep");
        var record = await harness.WaitForOutcomeAsync(call!.ChannelId);
        Assert.Equal("Completed", record.Outcome);
        var note = Assert.Single(record.Events, e => e.Contains(" recovered ", StringComparison.Ordinal));
        Assert.Contains($"the {hangsUp} hung up while the engine was back", note);
        Assert.DoesNotContain("while the engine was away", record.ToString());
    }

    /// <summary>Plays an engine that took calls and died: its own websocket, REST and ledger rows.</summary>
    private sealed class CrashedEngine : IAsyncDisposable
    {
        private readonly AriRestClient rest;
        private readonly AriEventStream events;
        private readonly CancellationTokenSource stop = new();
        private readonly Task running;
        private readonly Routing.Ledger.Ledger ledger;
        private readonly List<string> started = [];

        private CrashedEngine(AriRestClient rest, AriEventStream events, Routing.Ledger.Ledger ledger)
        {
            this.rest = rest;
            this.events = events;
            this.ledger = ledger;
            running = Task.Run(async () =>
            {
                var run = events.RunAsync(stop.Token);
                try
                {
                    await foreach (var message in events.Reader.ReadAllAsync(stop.Token))
                    {
                        if (message is StasisStart start)
                        {
                            lock (started)
                            {
                                started.Add(start.Channel.Id);
                            }
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                }

                await run.ContinueWith(_ => { }, TaskScheduler.Default);
            });
        }

        public static async Task<CrashedEngine> StartAsync(SimulatedAsterisk sim, EngineConfiguration configuration)
        {
            var ledger = await LedgerFactory.CreateAsync(configuration.Ledger, NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None);
            var crashed = new CrashedEngine(new AriRestClient(configuration.Ari), new AriEventStream(configuration.Ari), ledger);
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (sim.ConnectedEventSockets == 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            return crashed;
        }

        public async Task WaitForStasisStartAsync(string channelId)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (DateTime.UtcNow < deadline)
            {
                lock (started)
                {
                    if (started.Contains(channelId))
                    {
                        return;
                    }
                }

                await Task.Delay(20);
            }

            throw new TimeoutException($"no StasisStart for {channelId}");
        }

        public async Task<string> BridgeWithAgencyAsync(string callerChannelId, string trunk)
        {
            await rest.AnswerAsync(callerChannelId);
            await rest.CreateBridgeAsync("crashed-bridge", "mixing");
            var leg = $"police-{callerChannelId}-1";
            await rest.OriginateAsync(new AriOriginateRequest($"PJSIP/{trunk}", "routing112", leg) { AppArgs = ["dialed", "police", callerChannelId], TimeoutSeconds = 10 });
            await WaitForStasisStartAsync(leg);
            await rest.AddChannelAsync("crashed-bridge", [callerChannelId, leg]);
            return leg;
        }

        public async Task RecordOpenCallAsync(string callerChannelId, bool connected)
        {
            var callId = Guid.CreateVersion7().ToString();
            await ledger.Journal.CallArrivedAsync(new CallRecord(callId, callerChannelId, "+77271234567", "102", "direct:police", LongAgo), CancellationToken.None);
            if (connected)
            {
                await ledger.Journal.AppendAsync(new CallEventRecord(callId, null, LongAgo.AddSeconds(5), "state", "Dialing -> Connected"), CancellationToken.None);
            }
        }

        public async ValueTask DisposeAsync()
        {
            // A crash: the websocket goes away, nothing is cleaned up in Asterisk.
            await stop.CancelAsync();
            await running;
            await ledger.DisposeAsync();
            rest.Dispose();
            events.Dispose();
        }
    }
}
