using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Routing.Calls.Ports;
using Routing.Ledger;
using LedgerStore = Routing.Ledger.Ledger;

namespace Routing.Bench.Ledger;

/// <summary>
/// Figures for the evidence ledger (issue 9): events per second through the hash chain into the
/// database, and through the chain + spool while the database is stalled; what a call pays per step
/// on each path; and how fast a spool left by an earlier run is replayed (chained and committed).
/// SQLite always; PostgreSQL when ROUTING_TEST_POSTGRES is set. Bounded: fixed record counts.
/// </summary>
public static class LedgerEvidenceFigures
{
    private const string HmacKey = "YmVuY2gta2V5LWZvci1sZWRnZXItY2hlY2twb2ludHMtMTEy";

    public static async Task<string> RunAsync(bool quick, List<string> failures)
    {
        var calls = quick ? 100 : 400;
        const int eventsPerCall = 10;
        var text = new StringBuilder();
        text.AppendLine($"== Evidence ledger: hash chain + spool ({calls} calls x (1 call row + {eventsPerCall} events), 50 calls at a time; per-call cost: 1 call of 12 records awaited one by one, mean of 20) ==");
        text.AppendLine("provider   | chained, db up (ev/s) | chain+spool, db stalled (ev/s) | replay of that spool (ev/s) | per call, db up | per call, via spool");
        foreach (var provider in Providers())
        {
            try
            {
                text.AppendLine(await MeasureAsync(provider, calls, eventsPerCall));
            }
            catch (Exception ex)
            {
                failures.Add($"ledger figures on {provider.Name}: {ex.GetType().Name}: {ex.Message}");
                text.AppendLine($"{provider.Name,-10} | failed: {ex.Message}");
            }
        }

        if (Environment.GetEnvironmentVariable("ROUTING_TEST_POSTGRES") is not { Length: > 0 })
        {
            text.AppendLine("postgres   | skipped: ROUTING_TEST_POSTGRES is not set (eval \"$(bash .ci/postgres-for-tests.sh)\")");
        }

        return text.ToString();
    }

    private sealed record Provider(string Name, string ConnectionString, Func<Task<IAsyncDisposable>> Stall, Func<Task> Drop);

    private static IEnumerable<Provider> Providers()
    {
        var directory = Path.Combine(Path.GetTempPath(), "routing-bench", "evidence-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, "ledger.db");
        yield return new Provider("sqlite", $"Data Source={file}", async () =>
        {
            var connection = new SqliteConnection($"Data Source={file};Pooling=False");
            await connection.OpenAsync();
            await Execute(connection, "BEGIN EXCLUSIVE");
            return new Release(async () => { await Execute(connection, "COMMIT"); await connection.DisposeAsync(); });
        }, () =>
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
            return Task.CompletedTask;
        });

        if (Environment.GetEnvironmentVariable("ROUTING_TEST_POSTGRES") is { Length: > 0 } server)
        {
            var schema = "bench_" + Guid.NewGuid().ToString("N");
            var connectionString = new NpgsqlConnectionStringBuilder(server) { SearchPath = schema }.ConnectionString;
            CreateSchema(server, schema);
            yield return new Provider("postgres", connectionString, async () =>
            {
                var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                var transaction = await connection.BeginTransactionAsync();
                await Execute(connection, "LOCK TABLE calls, legs, call_events IN EXCLUSIVE MODE", transaction);
                return new Release(async () => { await transaction.CommitAsync(); await connection.DisposeAsync(); });
            }, async () =>
            {
                NpgsqlConnection.ClearAllPools();
                await using var connection = new NpgsqlConnection(server);
                await connection.OpenAsync();
                await Execute(connection, $"DROP SCHEMA IF EXISTS {schema} CASCADE");
            });
        }
    }

    private static void CreateSchema(string server, string schema)
    {
        using var connection = new NpgsqlConnection(server);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"CREATE SCHEMA {schema}";
        command.ExecuteNonQuery();
    }

    private static async Task<string> MeasureAsync(Provider provider, int calls, int eventsPerCall)
    {
        var spool = Path.Combine(Path.GetTempPath(), "routing-bench", "spool-" + Guid.NewGuid().ToString("N"));
        LedgerOptions Options() => new()
        {
            Provider = provider.Name,
            ConnectionString = provider.ConnectionString,
            NodeId = "bench",
            WriteBeforeActTimeout = TimeSpan.FromSeconds(5),
            ShutdownFlushTimeout = TimeSpan.FromMilliseconds(500),
            Spool = { Directory = spool, After = TimeSpan.FromMilliseconds(50) },
            Chain = { HmacKey = HmacKey, CheckpointEvery = 1000 },
        };
        var records = calls * (1 + eventsPerCall);
        try
        {
            double chained, spooled, replayed;
            TimeSpan perCallUp, perCallSpool;
            await using (var ledger = await LedgerFactory.CreateAsync(Options(), NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None))
            {
                await BurstAsync(ledger, "warm", 20, eventsPerCall);
                var watch = Stopwatch.StartNew();
                await BurstAsync(ledger, "up", calls, eventsPerCall);
                chained = records / watch.Elapsed.TotalSeconds;
                perCallUp = await PerCallAsync(ledger, "one-up");
            }

            await using (var ledger = await LedgerFactory.CreateAsync(Options(), NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None))
            {
                await using (await provider.Stall())
                {
                    // Enter the spooling episode first, so the figure is the spool's own rate.
                    await ledger.Journal.CallArrivedAsync(Call("stall-probe"), CancellationToken.None);
                    var watch = Stopwatch.StartNew();
                    await BurstAsync(ledger, "down", calls, eventsPerCall);
                    spooled = records / watch.Elapsed.TotalSeconds;
                    perCallSpool = await PerCallAsync(ledger, "one-down");
                    if (ledger.Journal.Stats.Late > 0)
                    {
                        throw new InvalidOperationException($"{ledger.Journal.Stats.Late} records were late: the spool did not keep up");
                    }

                    // Closing with the database still stalled keeps everything in the spool (as SIGKILL would).
                    await ledger.DisposeAsync();
                }
            }

            var kept = Directory.GetFiles(spool, "*.r112spool").Length;
            var replayWatch = Stopwatch.StartNew();
            await using (var ledger = await LedgerFactory.CreateAsync(Options(), NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None))
            {
                var deadline = Stopwatch.StartNew();
                while (ledger.Journal.Stats.Pending > 0 && deadline.Elapsed < TimeSpan.FromSeconds(120))
                {
                    await Task.Delay(5);
                }

                replayed = ledger.Journal.Stats.Replayed / replayWatch.Elapsed.TotalSeconds;
                if (kept == 0 || ledger.Journal.Stats.Replayed == 0 || ledger.Journal.Stats.Pending > 0)
                {
                    throw new InvalidOperationException($"replay did not run as expected ({kept} files, {ledger.Journal.Stats})");
                }
            }

            return string.Create(CultureInfo.InvariantCulture,
                $"{provider.Name,-10} | {chained,21:N0} | {spooled,30:N0} | {replayed,27:N0} | {perCallUp.TotalMilliseconds,11:0.00} ms | {perCallSpool.TotalMilliseconds,15:0.00} ms");
        }
        finally
        {
            await provider.Drop();
            if (Directory.Exists(spool))
            {
                Directory.Delete(spool, recursive: true);
            }
        }
    }

    private static async Task BurstAsync(LedgerStore ledger, string prefix, int calls, int eventsPerCall)
    {
        using var gate = new SemaphoreSlim(50);
        await Task.WhenAll(Enumerable.Range(0, calls).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var callId = $"{prefix}-{i:D5}-{Guid.NewGuid():N}";
                await ledger.Journal.CallArrivedAsync(Call(callId), CancellationToken.None);
                for (var e = 0; e < eventsPerCall; e++)
                {
                    await ledger.Journal.AppendAsync(new CallEventRecord(callId, null, DateTimeOffset.UtcNow, "state", $"step {e}"), CancellationToken.None);
                }
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    /// <summary>Mean time of one call's 12 records (call, leg, 10 events), each awaited before the next: what write before act costs a call.</summary>
    private static async Task<TimeSpan> PerCallAsync(LedgerStore ledger, string prefix)
    {
        const int rounds = 20;
        var watch = Stopwatch.StartNew();
        for (var r = 0; r < rounds; r++)
        {
            var callId = $"{prefix}-{r}-{Guid.NewGuid():N}";
            await ledger.Journal.CallArrivedAsync(Call(callId), CancellationToken.None);
            await ledger.Journal.LegPlannedAsync(new LegRecord(callId + "-leg", callId, "leg-chan", "fire", "almaty", "fire-almaty-1", "PJSIP/fire", 1, DateTimeOffset.UtcNow), CancellationToken.None);
            for (var e = 0; e < 10; e++)
            {
                await ledger.Journal.AppendAsync(new CallEventRecord(callId, null, DateTimeOffset.UtcNow, "state", $"step {e}"), CancellationToken.None);
            }
        }

        return watch.Elapsed / rounds;
    }

    private static CallRecord Call(string callId) => new(callId, "1795486382." + callId, "+77271234567", "112", "112", DateTimeOffset.UtcNow);

    private static async Task Execute(DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync();
    }

    private sealed class Release(Func<Task> release) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await release();
    }
}
