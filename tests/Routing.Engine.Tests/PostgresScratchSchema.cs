using Npgsql;
using Routing.Engine.Tests.Support;

namespace Routing.Engine.Tests;

/// <summary>A fresh schema on the test PostgreSQL (ROUTING_TEST_POSTGRES, started by .ci/run), first in the search
/// path of <see cref="ConnectionString"/>, dropped with everything in it when disposed.</summary>
internal sealed class PostgresScratchSchema : IAsyncDisposable
{
    private readonly string server;
    private readonly string name;

    private PostgresScratchSchema(string server, string name)
    {
        this.server = server;
        this.name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { SearchPath = name }.ConnectionString;
    }

    public string ConnectionString { get; }

    public static async Task<PostgresScratchSchema> CreateAsync(string prefix)
    {
        var server = Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable)
            ?? throw new InvalidOperationException($"{PostgresFactAttribute.Variable} is not set while CI=true: .ci/run should have started PostgreSQL.");
        var schema = new PostgresScratchSchema(server, prefix + "_" + Guid.NewGuid().ToString("N"));
        await schema.ExecuteAsync($"CREATE SCHEMA {schema.name}");
        return schema;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync($"DROP SCHEMA {name} CASCADE");
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var admin = new NpgsqlConnection(server);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand(sql, admin);
        await command.ExecuteNonQueryAsync();
    }
}
