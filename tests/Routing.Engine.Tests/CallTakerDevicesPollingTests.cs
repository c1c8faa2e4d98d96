using System.Text.Json;
using Routing.Engine.Hosting;
using Routing.Simulator;

namespace Routing.Engine.Tests;

/// <summary>
/// An Asterisk without res_stasis_device_state (our own 23.4.1 build had none) refuses the engine's
/// deviceState: subscription, so no event ever says a desk phone registered or went away after the engine
/// connected. The engine then reads the positions' endpoints every Centre:DevicePollInterval.
/// </summary>
public sealed class CallTakerDevicesPollingTests
{
    private static Dictionary<string, string?> Settings => new()
    {
        [EngineConfiguration.CentreEnabledKey] = "true",
        ["Centre:WrapUp"] = "00:00:00",
        ["Centre:DevicePollInterval"] = "00:00:00.200",
        ["Centre:Groups:almaty:MaxWait"] = "00:10:00",
        ["Centre:Groups:national:MaxWait"] = "00:10:00",
        ["Routing:Operators:QueueTimeout"] = "00:30:00",
    };

    private static bool Reachable(JsonElement centre, string position) =>
        centre.GetProperty("callTakers").EnumerateArray().Any(c => c.GetProperty("position").GetString() == position && c.GetProperty("reachable").GetBoolean());

    [Fact]
    public async Task Without_device_state_events_a_phone_that_registers_after_the_engine_started_is_found_by_polling_and_offered_the_next_call()
    {
        await using var harness = await EngineHarness.StartAsync(options =>
        {
            options.DeviceStateEventSource = false;
            options.CallTakersRegisteredAtStart = false;
            options.CallTakers["calltaker-1"] = CallTakerBehavior.AnswersAfter(TimeSpan.FromMilliseconds(20));
        }, Settings);
        using var api = new OperatorClient(harness.AdminUrl);
        await harness.WaitUntilAsync(() => harness.Asterisk.Requests.Any(r => r.Path.Contains("/subscription", StringComparison.Ordinal) && r.Status == 400),
            "the deviceState subscription refused as by an Asterisk without res_stasis_device_state");
        await api.LoginAsync("aigerim", "calltaker-1");
        Assert.False(Reachable(await api.CentreAsync(), "calltaker-1"));

        harness.Asterisk.CallTakers["calltaker-1"].Register();
        await harness.WaitUntilAsync(async () => Reachable(await api.CentreAsync(), "calltaker-1"), "calltaker-1 reachable after it registered");

        var call = await harness.Asterisk.PlaceCallAsync(new CallScript("+77271234567", "112", HangUpAfter: TimeSpan.FromMinutes(5)), CancellationToken.None);
        await harness.WaitUntilAsync(async () => (await api.CentreAsync()).GetProperty("callTakers").EnumerateArray()
            .Any(c => c.GetProperty("position").GetString() == "calltaker-1" && c.GetProperty("state").GetString() == "OnCall"), "calltaker-1 on the call");
        Assert.NotEmpty(harness.Asterisk.CallTakers["calltaker-1"].ChannelIds);
        Assert.NotNull(call.ChannelId);
    }

    [Fact]
    public async Task Without_device_state_events_a_phone_that_goes_away_is_marked_unreachable_by_polling_and_back_when_it_returns()
    {
        await using var harness = await EngineHarness.StartAsync(options =>
        {
            options.DeviceStateEventSource = false;
            options.CallTakers["calltaker-1"] = CallTakerBehavior.AnswersAfter(TimeSpan.FromMilliseconds(20));
        }, Settings);
        using var api = new OperatorClient(harness.AdminUrl);
        await harness.WaitUntilAsync(async () => Reachable(await api.CentreAsync(), "calltaker-1"), "calltaker-1 reachable at start");

        harness.Asterisk.CallTakers["calltaker-1"].GoUnreachable();
        await harness.WaitUntilAsync(async () => !Reachable(await api.CentreAsync(), "calltaker-1"), "calltaker-1 unreachable after its phone went away");

        harness.Asterisk.CallTakers["calltaker-1"].Register();
        await harness.WaitUntilAsync(async () => Reachable(await api.CentreAsync(), "calltaker-1"), "calltaker-1 reachable again");

        // The position's story says where each change came from: the endpoint read, not a DeviceStateChanged.
        await harness.LedgerCaughtUpAsync();
        var changes = (await harness.Engine.Ledger.EventsOfAsync("position:calltaker-1", 500, CancellationToken.None))
            .Where(e => e.Event.Kind == "calltaker.device").Select(e => e.Event.Detail).ToList();
        Assert.Equal(["unreachable (endpoint offline)", "reachable (endpoint online)"], changes.SkipWhile(c => c.StartsWith("reachable", StringComparison.Ordinal)).Take(2));
    }
}
