using Microsoft.Extensions.DependencyInjection;
using Routing.Asterisk.Ari;
using Routing.Simulator;

namespace Routing.Engine.Tests;

/// <summary>
/// While the engine lives it keeps every waiting caller's TIMEOUT(absolute) armed (AMI Setvar), so that a
/// dialplan which arms it before Stasis() moves the caller on if the engine dies; a caller talking to an
/// agency has it cleared, so the conversation survives the engine. The simulated Asterisk reads the
/// function back as Asterisk does: the seconds left ("3.998"), or "0" when nothing is armed.
/// </summary>
public sealed class DeadMansSwitchTests
{
    private static readonly Dictionary<string, string?> Armed = new() { ["Asterisk:DeadMansSwitch"] = "00:00:04" };

    [Fact]
    public async Task A_caller_waiting_for_an_agency_has_its_absolute_timeout_kept_armed()
    {
        await using var harness = await EngineHarness.StartAsync(sim => sim.UnknownEndpointBehavior = TrunkBehavior.Answers(TimeSpan.FromSeconds(60)), settings: Armed);
        var call = await harness.Asterisk.PlaceCallAsync(new CallScript("+77271234567", "101", HangUpAfter: TimeSpan.FromSeconds(30)), CancellationToken.None);
        var ari = harness.Engine.Host.Services.GetRequiredService<IAriRestClient>();

        await harness.WaitUntilAsync(async () => await SecondsLeftAsync(ari, call.ChannelId) is > 0 and <= 4, "the waiting caller's TIMEOUT(absolute) to be armed at 4 s");
        call.HangUp();
    }

    [Fact]
    public async Task A_caller_talking_to_an_agency_has_its_absolute_timeout_cleared()
    {
        // The dialplan arms it before Stasis(), so "0" afterwards is the engine's doing.
        await using var harness = await EngineHarness.StartAsync(sim => sim.Dialplan.AbsoluteTimeout = TimeSpan.FromSeconds(30), settings: Armed);
        var call = await harness.Asterisk.PlaceCallAsync(new CallScript("+77271234567", "101", HangUpAfter: TimeSpan.FromSeconds(30)), CancellationToken.None);
        var ari = harness.Engine.Host.Services.GetRequiredService<IAriRestClient>();

        await harness.WaitUntilAsync(() => harness.Engine.Calls.Active.Any(c => c.Snapshot.State == Routing.Calls.CallState.Connected), "the caller to be bridged with the fire trunk");
        await harness.WaitUntilAsync(async () => await TimeoutOfAsync(ari, call.ChannelId) == "0", "the bridged caller's TIMEOUT(absolute) to be cleared");
        call.HangUp();
    }

    [Fact]
    public async Task Without_the_setting_the_engine_leaves_the_absolute_timeout_alone()
    {
        await using var harness = await EngineHarness.StartAsync(settings: new Dictionary<string, string?> { ["Asterisk:DeadMansSwitch"] = "00:00:00" });
        var call = await harness.Asterisk.PlaceCallAsync(new CallScript("+77271234567", "112", HangUpAfter: TimeSpan.FromSeconds(30)), CancellationToken.None);
        await harness.WaitUntilAsync(() => harness.Engine.Calls.Count == 1, "the call to be taken");

        // The switch would have armed it on its first pass, before the call reached the registry's
        // next reconcile; two passes of the sweep are a bound, not a timing assertion.
        await harness.WaitUntilAsync(() => harness.Engine.Host.Services.GetRequiredService<Routing.Engine.Calls.Reconciler>().Passes >= 2, "two reconcile passes");
        Assert.Equal("0", await TimeoutOfAsync(harness.Engine.Host.Services.GetRequiredService<IAriRestClient>(), call.ChannelId));
        call.HangUp();
    }

    private static async Task<double?> SecondsLeftAsync(IAriRestClient ari, string channelId) =>
        double.TryParse(await TimeoutOfAsync(ari, channelId), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) ? seconds : null;

    private static async Task<string?> TimeoutOfAsync(IAriRestClient ari, string channelId)
    {
        try
        {
            return await ari.GetVariableAsync(channelId, "TIMEOUT(absolute)");
        }
        catch (AriException)
        {
            return null;
        }
    }
}
