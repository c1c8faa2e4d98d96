using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Routing.Calls;
using Routing.Calls.Routing;
using Routing.Engine.Hosting;

namespace Routing.Bench.Micro;

/// <summary>
/// One call's whole life through the state machine (transition table, mailbox, timers armed and cancelled)
/// with in-memory ports and the shipped routing configuration: arrival, answer, greeting, two menus,
/// bridge, dial, answer, connected, caller hang-up, clean-up, outcome. One operation = one call;
/// 1 / mean is the calls per second one core can route when telephony and the ledger cost nothing.
/// </summary>
[BenchmarkCategory("Call")]
public class CallLifeBench
{
    private RoutingOptions routing = null!;
    private readonly SelfAnsweringTelephony telephony = new() { LanguageDigit = '2', ServiceDigit = '1' };
    private readonly InMemoryJournal journal = new();
    private readonly SilentObserver observer = new();
    private CallDependencies dependencies = null!;
    private long sequence;

    [GlobalSetup]
    public void Setup()
    {
        // Only the Routing section: the Asterisk credentials the full Bind insists on are not needed here.
        routing = new RoutingOptions();
        EngineConfiguration.Load(null).GetSection(RoutingOptions.Section).Bind(routing);
        if (RoutingOptionsValidator.Validate(routing) is { Count: > 0 } errors)
            throw new InvalidOperationException("appsettings.json Routing section is invalid: " + string.Join("; ", errors));
        dependencies = new CallDependencies(telephony, journal, observer, routing, TimeProvider.System);
    }

    [Benchmark(Description = "Call life: 112 → menus → fire → answered → hang-up, per call")]
    public Task Call112MenuToFire() => RunAsync([], "+77271234567");

    [Benchmark(Description = "Call life: 102 direct → police → answered → hang-up, per call")]
    public Task CallDirectToPolice() => RunAsync(["direct", "police"], "+77171234567");

    private async Task RunAsync(string[] stasisArgs, string callerNumber)
    {
        var channel = "1795486382." + (++sequence).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var call = new Call(new CallArrival(channel, callerNumber, "Caller", "112", stasisArgs, "", TimeProvider.System.GetUtcNow()), dependencies);
        telephony.Serve(call);
        call.Start();
        await call.Completion;
        if (journal.LastOutcome != "Completed")
            throw new InvalidOperationException($"call {channel} ended {journal.LastOutcome ?? "without an outcome"}, expected Completed; the benchmark would time the wrong path");
    }
}
