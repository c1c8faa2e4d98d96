using System.Globalization;
using System.Text.RegularExpressions;
using Routing.Engine.Text;
using Routing.Simulator;
using Routing.TestSupport;

namespace Routing.Engine.Tests.Text;

/// <summary>
/// kill -9 of an engine that reads texts. ARI then has no app to hand a MESSAGE to, and the dialplan leaves it to the
/// engine while the heartbeat looks fresh: those texts are read by nobody. The shipped configuration keeps that window
/// at a few seconds (heartbeat every second, <c>TEXT_HEARTBEAT_STALE</c> 3 s; it was 5 s and 15 s), and once it has
/// passed the dialplan forwards texts itself. The engine runs as a real child process (SIGKILL: none of its stop code
/// runs) against the simulated Asterisk, whose <c>[messages-app]</c> reads the heartbeat as the shipped one does.
/// Asserted on what was forwarded and with which heartbeat, never on how long it took.
/// </summary>
public sealed class TextEngineKilledTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    private static int ShippedStaleSeconds()
    {
        var extensions = File.ReadAllText(Path.Combine(RepositoryFiles.RepositoryRoot, "dialplans", "extensions.conf"));
        return int.Parse(Regex.Match(extensions, @"^TEXT_HEARTBEAT_STALE = (\d+)$", RegexOptions.Multiline).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [Fact]
    public void The_shipped_window_after_a_crash_is_a_few_seconds_and_one_late_heartbeat_still_does_not_forward()
    {
        var interval = new Routing.Calls.Text.TextOptions().HeartbeatInterval;
        var stale = ShippedStaleSeconds();

        Assert.Equal(TimeSpan.FromSeconds(1), interval);
        // check-config warns above 5 s (TextFallbackCheck.MaxStaleSeconds) and refuses 2 × the interval or less.
        Assert.InRange(stale, 2 * interval.TotalSeconds + 1, 5);
    }

    [Fact]
    public async Task After_kill_9_no_heartbeat_is_written_and_once_it_is_stale_the_dialplan_forwards_texts_itself()
    {
        var stale = ShippedStaleSeconds();
        var options = new SimulatorOptions { Dialplan = { TextHeartbeatStaleSeconds = stale } };
        options.TextEndpoints.UnionWith(["app-messages", "police-text", "fire-text", "ambulance-text", "gas-text"]);
        await using var asterisk = await SimulatedAsterisk.StartAsync(options, CancellationToken.None);
        // The shipped Text section (gateway PJSIP/app-messages, four desks) with the centre on.
        await using var engine = RoutingChild.Start(asterisk, options, new Dictionary<string, string> { ["Centre__Enabled"] = "true" });
        await WaitAsync(() => asterisk.GlobalVariable(TextHeartbeat.Variable) is { Length: > 1 }, "the engine's first heartbeat", engine);

        await engine.KillAsync();
        var last = long.Parse(asterisk.GlobalVariable(TextHeartbeat.Variable)!, CultureInfo.InvariantCulture);

        var sent = 0;
        await WaitAsync(() =>
        {
            asterisk.SendTextMessage("app-messages", $"<sip:+772710009{sent++ % 100:00}@gw>", "probe after kill -9");
            return asterisk.DialplanForwardedTexts.Count > 0;
        }, "the dialplan to forward a text itself", engine, TimeSpan.FromMilliseconds(100));

        var first = asterisk.DialplanForwardedTexts[0];
        Assert.Equal(last, first.Heartbeat); // nothing wrote it after the kill
        Assert.Equal(last.ToString(CultureInfo.InvariantCulture), asterisk.GlobalVariable(TextHeartbeat.Variable));
        // The dialplan waited for the heartbeat to go stale, no longer (the real-Asterisk text group prints the window).
        Assert.True(first.At.ToUnixTimeSeconds() - last >= stale, $"forwarded at {first.At:O} with heartbeat {last}");
    }

    private static async Task WaitAsync(Func<bool> condition, string what, RoutingChild engine, TimeSpan? every = null)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            if (TimeProvider.System.GetElapsedTime(started) > Bound)
            {
                throw new TimeoutException($"Gave up after {Bound} waiting for {what}. The engine printed:\n{engine.Output}");
            }

            await Task.Delay(every ?? TimeSpan.FromMilliseconds(50));
        }
    }
}
