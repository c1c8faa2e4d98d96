namespace Routing.Ledger.Tests.Support;

/// <summary>Where the PostgreSQL tests find their server: env ROUTING_TEST_POSTGRES, a connection
/// string. Missing on a developer machine → the tests are skipped with a reason; missing under
/// CI=true → they fail, because .ci/run is supposed to have started the server.</summary>
internal static class PostgresTestServer
{
    public const string Variable = "ROUTING_TEST_POSTGRES";

    /// <summary>With a connect timeout of 60 s unless the variable sets one: Npgsql's 15 s default ran out on a
    /// 2-core box at load 40 while PostgreSQL itself waited for a core, and a slow connect is not what these tests test.</summary>
    public static string? ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? (value.Contains("Timeout=", StringComparison.OrdinalIgnoreCase) ? value : value.TrimEnd(';') + ";Timeout=60")
            : null;

    public static bool IsCi =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string? SkipReason => ConnectionString is null && !IsCi
        ? $"PostgreSQL tests skipped: {Variable} not set (.ci/run starts one; by hand: eval \"$(bash .ci/postgres-for-tests.sh)\")"
        : null;

    public static string RequireConnectionString() => ConnectionString
        ?? throw new InvalidOperationException(
            $"{Variable} is not set while CI=true: .ci/run should have started PostgreSQL " +
            "(eval \"$(bash .ci/postgres-for-tests.sh)\") and exported it before running the tests.");
}
