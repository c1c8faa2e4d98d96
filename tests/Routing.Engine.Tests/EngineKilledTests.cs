using Routing.Simulator;

namespace Routing.Engine.Tests;

/// <summary>
/// kill -9 of the engine with callers waiting: the dead man's switch. The engine runs as a real child
/// process against the simulated Asterisk of the test, which arms TIMEOUT(absolute) before Stasis() as the
/// shipped dialplan does. Once the engine is gone nobody pushes the timeout back: every waiting caller leaves
/// Stasis and the dialplan's T extension puts them through to the fallback, while a conversation already
/// bridged (timeout cleared by the engine) goes on. Asserted on the simulator's record of where each channel
/// went, polled with a generous bound, never on how long it took.
/// </summary>
public sealed class EngineKilledTests
{
    /// <summary>Longer than the shipped 6 s: a cold engine on a loaded test box took 4-6 s to take its first
    /// calls, and a caller it has not taken yet is moved on too (rightly, but not what this test looks at).</summary>
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(15);

    /// <summary>Far beyond the window plus a fallback answer: a bound for a loaded box, not a timing target.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(180);

    private static readonly TimeSpan Talking = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task After_kill_9_every_waiting_caller_reaches_the_fallback_and_a_bridged_conversation_goes_on()
    {
        var options = new SimulatorOptions
        {
            DefaultPromptDuration = TimeSpan.FromMilliseconds(300),
            // The English service menu plays for ten minutes: a caller who chose English stays in the menu.
            SoundDurations = { ["sound:112/en/service-menu"] = TimeSpan.FromMinutes(10) },
            // The call-taker trunks ring and ring: a silent caller waits for them with music on hold.
            Trunks = { ["calltakers-1"] = TrunkBehavior.NoAnswer, ["calltakers-2"] = TrunkBehavior.NoAnswer },
            UnknownEndpointBehavior = TrunkBehavior.Answers(TimeSpan.FromMilliseconds(50)),
            Dialplan = { AbsoluteTimeout = Window },
        };
        await using var asterisk = await SimulatedAsterisk.StartAsync(options, CancellationToken.None);
        await using var engine = RoutingChild.Start(asterisk, options, new Dictionary<string, string>
        {
            ["Asterisk__DeadMansSwitch"] = "00:00:15",
            // Without the centre a caller who presses nothing ends up ringing the call-taker trunks (the
            // call-taker queue of this set-up), after the menus, which a short digit timeout keeps short.
            ["Centre__Enabled"] = "false",
            ["Routing__Timers__MenuDigit"] = "00:00:01",
            ["Routing__Operators__QueueTimeout"] = "00:30:00",
        });
        await WaitAsync(() => asterisk.ConnectedEventSockets > 0 && engine.Output.Contains("Reconciled after websocket connected", StringComparison.Ordinal),
            "the engine's ARI websocket to connect and its first reconcile pass", engine);

        var talking = await asterisk.PlaceCallAsync(new CallScript("+77271000001", "101", HangUpAfter: Talking), CancellationToken.None);
        var inMenu = await asterisk.PlaceCallAsync(new CallScript("+77271000002", "112", Dtmf: [new DtmfStep('3', TimeSpan.FromMilliseconds(100))], HangUpAfter: Talking), CancellationToken.None);
        var inQueue = await asterisk.PlaceCallAsync(new CallScript("+77271000003", "112", HangUpAfter: Talking), CancellationToken.None);

        await WaitAsync(() => talking.BridgedWith is not null && !asterisk.IsAbsoluteTimeoutArmed(talking.ChannelId),
            "the 101 caller to be bridged with fire and its timeout cleared by the engine", engine);
        await WaitAsync(() => inMenu.MediaPlayed.Contains("sound:112/en/service-menu"), "the English caller to hear the service menu", engine);
        await WaitAsync(() => inQueue.HeardMusicOnHold, "the silent caller to wait for a call-taker with music on hold", engine);
        var bridged = talking.BridgedWith;

        await engine.KillAsync();

        await WaitAsync(() => inMenu.FallbackEndpoint is not null && inQueue.FallbackEndpoint is not null, "both waiting callers to reach the fallback", engine);
        Assert.True(inMenu.LeftStasisOnTimeout, string.Join("\n", inMenu.Timeline));
        Assert.True(inQueue.LeftStasisOnTimeout, string.Join("\n", inQueue.Timeline));
        Assert.Equal("police", inMenu.FallbackEndpoint); // 112's fallback in the simulated dialplan
        Assert.Equal("police", inQueue.FallbackEndpoint);
        await WaitAsync(() => inMenu.BridgedWith == "police" && inQueue.BridgedWith == "police", "the fallback to answer both", engine);

        // No one is left waiting in Stasis: what is still there is the conversation and its agency leg, in their bridge.
        var inStasis = asterisk.ChannelsInStasis;
        Assert.DoesNotContain(inMenu.ChannelId, inStasis.Keys);
        Assert.DoesNotContain(inQueue.ChannelId, inStasis.Keys);
        Assert.True(inStasis.TryGetValue(talking.ChannelId, out var bridge) && bridge is not null, $"the conversation left its bridge: {string.Join("\n", talking.Timeline)}");
        Assert.All(inStasis, channel => Assert.Equal(bridge, channel.Value));
        Assert.False(talking.Ended.IsCompleted);
        Assert.False(talking.LeftStasisOnTimeout);
        Assert.Equal(bridged, talking.BridgedWith);
        Assert.Null(talking.FallbackEndpoint);

        foreach (var call in new[] { talking, inMenu, inQueue })
        {
            call.HangUp();
        }
    }

    private static async Task WaitAsync(Func<bool> condition, string what, RoutingChild engine)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            if (TimeProvider.System.GetElapsedTime(started) > Bound)
            {
                throw new TimeoutException($"Gave up after {Bound} waiting for {what}. The engine printed:\n{engine.Output}");
            }

            await Task.Delay(50);
        }
    }
}
