using Npgsql;
using Routing.Simulator;

namespace Routing.Engine.Tests;

/// <summary>The engine on the multi-node ledger: PostgreSQL, a real server started by .ci/run.</summary>
public sealed class PostgresEngineTests
{
    private const string Variable = "ROUTING_TEST_POSTGRES";

    private static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    [PostgresFact]
    public async Task A_call_routed_with_the_PostgreSQL_ledger_has_its_call_legs_and_outcome_on_record()
    {
        await using var schema = await PostgresScratchSchema.CreateAsync("engine_test");
        await using var harness = await EngineHarness.StartAsync(
            sim => sim.Trunks["police-almaty-1"] = TrunkBehavior.Busy(TimeSpan.FromMilliseconds(20)),
            new Dictionary<string, string?> { ["Ledger:Provider"] = "postgres", ["Ledger:ConnectionString"] = schema.ConnectionString });

        var (call, end) = await harness.CallAsync(new CallScript("+77271234567", "102", TalkFor: TimeSpan.FromSeconds(1)));

        Assert.Equal("police-almaty-2", end.BridgedWith);
        var record = await harness.WaitForOutcomeAsync(call.ChannelId);
        Assert.Equal("Completed", record.Outcome);
        Assert.Equal(["police-almaty-1", "police-almaty-2"], record.Legs.Select(l => l.Trunk));
    }

    /// <summary>Runs when PostgreSQL is configured; in CI its absence is a failure, elsewhere a skip.</summary>
    private sealed class PostgresFactAttribute : FactAttribute
    {
        public PostgresFactAttribute()
        {
            if (Environment.GetEnvironmentVariable(Variable) is null && !IsCi)
            {
                Skip = $"PostgreSQL tests skipped: {Variable} not set (.ci/run starts one; by hand: eval \"$(bash .ci/postgres-for-tests.sh)\")";
            }
        }
    }
}
