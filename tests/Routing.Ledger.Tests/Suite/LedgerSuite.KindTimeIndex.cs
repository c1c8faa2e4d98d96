using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Routing.Ledger.Migrations;
using Routing.Ledger.Storage;
using Routing.Ledger.Tests.Support;

namespace Routing.Ledger.Tests.Suite;

/// <summary>Migration 0004 (index on call_events (kind, at)): it upgrades a ledger written without it, the
/// wallboard's queries at start then read by it instead of scanning every event, and the ledger stays append-only.</summary>
public abstract partial class LedgerSuite
{
    private const string KindTimeIndex = "ix_call_events_kind_at";

    /// <summary>20 000 events written before 0004, one second apart from T0: every 20th a call-taker joining,
    /// the next one a call entering the queue, the rest state changes. Unchained, as rows written before
    /// the chain are.</summary>
    private const int OldEvents = 20_000;

    private string FillOldEventsSql() => Database.Provider switch
    {
        LedgerProviders.Sqlite =>
            $"WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < {OldEvents}) " +
            "INSERT INTO call_events (event_id, call_id, at, kind, detail, node_id) " +
            "SELECT 'old-' || n, 'old-call-' || (n % 500), strftime('%Y-%m-%dT%H:%M:%S', '2026-11-24 03:00:00', '+' || n || ' seconds') || '.000000Z', " +
            "CASE n % 20 WHEN 0 THEN 'calltaker.joined' WHEN 1 THEN 'queue.entered' ELSE 'state' END, 'old', 'node-old' FROM g",
        LedgerProviders.Postgres =>
            "INSERT INTO call_events (event_id, call_id, at, kind, detail, node_id) " +
            "SELECT 'old-' || n, 'old-call-' || (n % 500), timestamptz '2026-11-24 03:00:00+00' + n * interval '1 second', " +
            $"CASE n % 20 WHEN 0 THEN 'calltaker.joined' WHEN 1 THEN 'queue.entered' ELSE 'state' END, 'old', 'node-old' FROM generate_series(1, {OldEvents}) AS n; " +
            "ANALYZE call_events",
        _ => throw new NotSupportedException(Database.Provider),
    };

    /// <summary>The database's plan for <paramref name="sql"/> with these parameters, as text.</summary>
    private async Task<string> PlanAsync(DbConnection raw, string sql, object parameters)
    {
        var explain = Database.Provider == LedgerProviders.Sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ";
        var rows = await raw.QueryAsync(explain + sql, parameters);
        return string.Join("\n", rows.Select(r => Database.Provider == LedgerProviders.Sqlite
            ? (string)((IDictionary<string, object>)r)["detail"]
            : (string)((IDictionary<string, object>)r)["QUERY PLAN"]));
    }

    [LedgerFact]
    public async Task Migration_0004_indexes_a_ledger_written_without_it_and_the_wallboards_queries_read_by_the_index()
    {
        var dialect = LedgerDialects.ForProvider(Database.Provider);
        var connections = new LedgerConnectionFactory(dialect, Database.ConnectionString);
        await dialect.PrepareDatabaseAsync(Database.ConnectionString, CancellationToken.None);
        var upToChain = MigrationCatalog.For(dialect).Where(m => m.Version <= 3).ToList();
        await new LedgerMigrator(connections, upToChain, TimeProvider.System, NullLogger.Instance).ApplyAsync(CancellationToken.None);
        var facts = new { Kind = "calltaker.joined", From = dialect.ToDatabase(T0), To = dialect.ToDatabase(T0.AddHours(1)), Limit = 100_000 };
        var spans = new { facts.Kind, SinceKind = "queue.entered", UnlessKind = "queue.answered", facts.From, facts.To, facts.Limit, One = 1 };
        await using (var raw = await Database.OpenRawAsync())
        {
            await raw.ExecuteAsync(FillOldEventsSql());
            Assert.DoesNotContain(KindTimeIndex, await PlanAsync(raw, LedgerReader.EventFactsSql(dialect, withPrefix: false), facts));
        }

        var ledger = await OpenAsync(); // a start of the new engine: applies 0004

        await using (var raw = await Database.OpenRawAsync())
        {
            Assert.Equal(1L, await raw.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM migrations WHERE version = 4"));
            var factsPlan = await PlanAsync(raw, LedgerReader.EventFactsSql(dialect, withPrefix: false), facts);
            var prefixPlan = await PlanAsync(raw, LedgerReader.EventFactsSql(dialect, withPrefix: true), new { Kind = "state", facts.From, facts.To, facts.Limit, Prefix = "Arrived -> %" });
            var spansPlan = await PlanAsync(raw, LedgerReader.EventSpanFactsSql(dialect), spans);
            Assert.Contains(KindTimeIndex, factsPlan);
            Assert.Contains(KindTimeIndex, prefixPlan);
            Assert.Contains(KindTimeIndex, spansPlan);
            if (Database.Provider == LedgerProviders.Sqlite)
            {
                // seq is the rowid every SQLite index ends with: the index gives the order, nothing is sorted.
                Assert.DoesNotContain("TEMP B-TREE", factsPlan);
                Assert.DoesNotContain("SCAN call_events", factsPlan);
                // Each call's first queue.entered by the call's own index, not a walk of every queue.entered.
                Assert.Contains("SEARCH s USING INDEX ix_call_events_call_id", spansPlan);
            }

            // Still append-only: the index changed no trigger and no grant.
            if (Database.Provider == LedgerProviders.Sqlite)
            {
                var refused = await Assert.ThrowsAnyAsync<DbException>(() => raw.ExecuteAsync("UPDATE call_events SET detail = 'new' WHERE event_id = 'old-20'"));
                Assert.Contains("append-only", refused.Message);
            }
            else
            {
                Assert.False(await raw.ExecuteScalarAsync<bool>("SELECT has_table_privilege('routing_engine', 'call_events', 'UPDATE')"));
                Assert.True(await raw.ExecuteScalarAsync<bool>("SELECT has_table_privilege('routing_engine', 'call_events', 'SELECT')"));
            }
        }

        // The rows written before the upgrade read back through it.
        var joined = await ledger.Reader.EventFactsAsync("calltaker.joined", null, T0, T0.AddHours(1), 100_000, CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, OldEvents).Count(n => n % 20 == 0 && n < 3600), joined.Count);
        Assert.Equal(T0.AddSeconds(3580), joined[^1].At);
    }
}
