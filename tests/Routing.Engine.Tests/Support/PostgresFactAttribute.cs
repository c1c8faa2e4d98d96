namespace Routing.Engine.Tests.Support;

/// <summary>Runs when PostgreSQL is configured; in CI its absence is a failure, elsewhere a one-line skip.</summary>
internal sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "ROUTING_TEST_POSTGRES";

    public PostgresFactAttribute()
    {
        var isCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (Environment.GetEnvironmentVariable(Variable) is null && !isCi)
        {
            Skip = $"PostgreSQL tests skipped: {Variable} not set (.ci/run starts one; by hand: eval \"$(bash .ci/postgres-for-tests.sh)\")";
        }
    }
}
