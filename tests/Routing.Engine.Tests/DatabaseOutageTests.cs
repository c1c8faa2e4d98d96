using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Routing.Engine.Calls;
using Routing.Simulator;

namespace Routing.Engine.Tests;

/// <summary>Invariant 3: a database that is away delays the record, never the call.</summary>
public sealed class DatabaseOutageTests
{
    [Fact]
    public async Task Calls_are_routed_while_the_ledger_is_broken_and_their_records_land_once_it_is_back()
    {
        var database = Path.Combine(Path.GetTempPath(), "routing-tests", $"outage-{Guid.NewGuid():N}.db");
        Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        await using var harness = await EngineHarness.StartAsync(settings: new Dictionary<string, string?> { ["Ledger:ConnectionString"] = $"Data Source={database}" });
        await using var admin = new SqliteConnection($"Data Source={database}");
        await admin.OpenAsync();
        await Execute(admin, "ALTER TABLE call_events RENAME TO call_events_away");

        var (first, firstEnd) = await harness.CallAsync(new CallScript("+77271234567", "102", TalkFor: TimeSpan.FromSeconds(1)));
        var reconciler = harness.Engine.Host.Services.GetRequiredService<Reconciler>();
        var passes = reconciler.Passes;
        await harness.WaitUntilAsync(() => reconciler.Passes >= passes + 2, "reconcile sweeps to hit the broken ledger");
        var (second, secondEnd) = await harness.CallAsync(new CallScript("+77171234567", "101", TalkFor: TimeSpan.FromSeconds(1)));

        Assert.True(firstEnd.BridgedWith == "police-almaty-1", "first call: " + string.Join(" | ", first.Timeline));
        Assert.True(secondEnd.BridgedWith == "fire-astana-1", "second call: " + string.Join(" | ", second.Timeline));

        await Execute(admin, "ALTER TABLE call_events_away RENAME TO call_events");
        Assert.Equal("Completed", (await harness.WaitForOutcomeAsync(first.ChannelId)).Outcome);
        Assert.Equal("Completed", (await harness.WaitForOutcomeAsync(second.ChannelId)).Outcome);
    }

    private static async Task Execute(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
