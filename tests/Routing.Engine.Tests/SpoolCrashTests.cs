using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Routing.Ledger.Audit;
using Routing.Ledger.Chain;
using Routing.Ledger.Storage;

namespace Routing.Engine.Tests;

/// <summary>
/// The engine as a real child process (`routing run` against its simulator, synthetic callers), its
/// database taken away mid-burst, then SIGKILL: after a restart every call, leg and event that was in
/// the spool is in the database exactly once, and the chain verifies.
/// </summary>
public sealed class SpoolCrashTests : IAsyncLifetime
{
    private const string HmacKey = "Y3Jhc2gtdGVzdC1rZXktZm9yLWxlZGdlci1jaGVja3BvaW50cw==";
    private readonly string directory = Path.Combine(Path.GetTempPath(), "routing-tests", "crash-" + Guid.NewGuid().ToString("N"));
    private readonly List<Process> started = [];

    private string Database => Path.Combine(directory, "ledger.db");

    private string Spool => Path.Combine(directory, "spool");

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(directory);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        foreach (var process in started.Where(p => !p.HasExited))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }

        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a dying child: the temp folder is cleaned another time.
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task SIGKILL_during_a_burst_with_the_database_away_loses_nothing_and_duplicates_nothing()
    {
        var first = Start(callsPerSecond: 20);
        await UntilAsync(async () => await CountAsync("SELECT COUNT(*) FROM call_events WHERE kind = 'outcome'") >= 3, first, "a few calls recorded");

        // Every table the burst writes goes away, not only call_events: with calls and legs still there, a loaded box
        // committed the new calls' rows and spooled only events, and the test is also about calls and legs not being
        // inserted twice.
        string[] tables = ["calls", "legs", "call_events"];
        foreach (var table in tables) await ExecuteAsync($"ALTER TABLE {table} RENAME TO {table}_away");
        await UntilAsync(() => Task.FromResult(SpooledKeys() is var k && k.Events.Count >= 40 && k.Calls.Count + k.Legs.Count > 0), first,
            "records of the burst (calls, legs and events) spooled while the database is away");
        first.Kill(entireProcessTree: true);
        await first.WaitForExitAsync();
        var spooled = SpooledKeys();
        foreach (var table in tables) await ExecuteAsync($"ALTER TABLE {table}_away RENAME TO {table}");

        var second = Start(callsPerSecond: 0);
        await UntilAsync(() => Task.FromResult(Directory.GetFiles(Spool, "*.r112spool").Length == 0), second, "the spool an earlier run left replayed and removed");
        second.Kill(entireProcessTree: true);
        await second.WaitForExitAsync();

        Assert.True(spooled.Calls.Count + spooled.Legs.Count > 0, "the burst spooled no call or leg");
        foreach (var (table, column, keys) in new[] { ("calls", "call_id", spooled.Calls), ("legs", "leg_id", spooled.Legs), ("call_events", "event_id", spooled.Events) })
        {
            foreach (var key in keys)
            {
                Assert.Equal(1L, await CountAsync($"SELECT COUNT(*) FROM {table} WHERE {column} = '{key}'"));
            }
        }

        // A call-taker position's story (the centre's synthetic call-takers) is events with no call row by design.
        var positions = Routing.Engine.Centre.CentreService.PositionStoryId(string.Empty) + "%";
        var orphans = $"FROM call_events e WHERE e.call_id NOT LIKE '{positions}' AND NOT EXISTS (SELECT 1 FROM calls c WHERE c.call_id = e.call_id)";
        Assert.True(await CountAsync("SELECT COUNT(*) " + orphans) == 0, "events without their call: " + await ListAsync("SELECT e.kind || ' of ' || e.call_id " + orphans + " LIMIT 8"));
        Assert.True(await CountAsync("SELECT COUNT(*) FROM rejected_records") == 0, "rejected: " + await ListAsync("SELECT record_type || ' ' || record_key || ': ' || error FROM rejected_records ORDER BY seq LIMIT 5"));
        var chain = new Routing.Ledger.Chain.LedgerChainOptions { HmacKey = HmacKey, CheckpointEvery = 50 };
        var report = await new AuditVerifier(new LedgerConnectionFactory(new SqliteDialect(), $"Data Source={Database}"), chain).VerifyAsync(null, null, CancellationToken.None);
        Assert.True(report.Intact, string.Join("; ", report.Findings));
    }

    private Process Start(double callsPerSecond)
    {
        var engine = Path.Combine(AppContext.BaseDirectory, "routing.dll");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var info = new ProcessStartInfo(dotnet)
        {
            ArgumentList = { engine, "run", "--plain", "--calls-per-second", callsPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture), "--max-calls", "2000" },
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // A loaded box must not shed the burst's callers to the fallback: the test counts what the engine wrote.
        info.Environment["Overload__Enabled"] = "false";
        info.Environment["Ledger__ConnectionString"] = $"Data Source={Database}";
        info.Environment["Ledger__Spool__Directory"] = Spool;
        info.Environment["Ledger__NodeId"] = "crash-node";
        info.Environment["Ledger__Chain__HmacKey"] = HmacKey;
        info.Environment["Ledger__Chain__CheckpointEvery"] = "50";
        info.Environment["Admin__Urls"] = $"http://127.0.0.1:{FreePort()}";
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the engine");
        started.Add(process);
        // The engine logs to stdout: its failures and critical lines say why it stopped, when it does.
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line && (line.Contains(" fail: ", StringComparison.Ordinal) || line.Contains(" crit: ", StringComparison.Ordinal))) lock (errors) errors.Add(line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (errors) errors.Add(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private readonly List<string> errors = [];

    private async Task UntilAsync(Func<Task<bool>> condition, Process engine, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!await SafelyAsync(condition))
        {
            if (engine.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(180))
            {
                string tail;
                lock (errors)
                {
                    tail = string.Join("\n", errors.TakeLast(20));
                }

                throw new TimeoutException($"waiting for {what}: engine {(engine.HasExited ? $"exited {engine.ExitCode}" : "still running")}; its stderr and failures end:\n{tail}");
            }

            await Task.Delay(100);
        }
    }

    private static async Task<bool> SafelyAsync(Func<Task<bool>> condition)
    {
        try
        {
            return await condition();
        }
        catch (SqliteException)
        {
            return false; // the engine has not created the tables yet
        }
    }

    /// <summary>The keys in the spool files as they are on disk (format: engine/Routing.Ledger/README.md).</summary>
    private (HashSet<string> Calls, HashSet<string> Legs, HashSet<string> Events) SpooledKeys()
    {
        var keys = (Calls: new HashSet<string>(), Legs: new HashSet<string>(), Events: new HashSet<string>());
        if (!Directory.Exists(Spool))
        {
            return keys;
        }

        foreach (var file in Directory.GetFiles(Spool, "*.r112spool"))
        {
            byte[] bytes;
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var copy = new MemoryStream())
            {
                stream.CopyTo(copy);
                bytes = copy.ToArray();
            }

            for (var at = 11; at + 8 <= bytes.Length;)
            {
                var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));
                if (length <= 0 || at + 8 + length > bytes.Length)
                {
                    break; // a torn tail: never acknowledged
                }

                using var row = JsonDocument.Parse(bytes.AsMemory(at + 8, length));
                var root = row.RootElement;
                switch (root.GetProperty("t").GetString())
                {
                    case "call": keys.Calls.Add(root.GetProperty("callId").GetString()!); break;
                    case "leg": keys.Legs.Add(root.GetProperty("legId").GetString()!); break;
                    default: keys.Events.Add(root.GetProperty("eventId").GetString()!); break;
                }

                at += 8 + length;
            }
        }

        return keys;
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Database};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    /// <summary>The first column of each row, for a failure message.</summary>
    private async Task<string> ListAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Database};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join(" | ", lines);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Database};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout=5000; " + sql;
        await command.ExecuteNonQueryAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
