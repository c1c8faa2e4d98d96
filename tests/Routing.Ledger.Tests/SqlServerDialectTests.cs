using System.Text.RegularExpressions;
using Routing.Ledger.Migrations;
using Routing.Ledger.Storage;
using Routing.Ledger.Writing;

namespace Routing.Ledger.Tests;

/// <summary>No SQL Server is available here, so its dialect is pinned by the SQL it produces.
/// These tests do not prove the SQL runs; they prove it says what we mean.</summary>
public sealed class SqlServerDialectTests
{
    private static readonly SqlServerDialect Dialect = new();

    private static string Schema => string.Join("\n", MigrationCatalog.For(Dialect).Select(m => m.Sql));

    [Fact]
    public void Every_table_and_index_is_created_behind_an_existence_guard()
    {
        var statements = Regex.Matches(Schema, @"^CREATE (TABLE|INDEX) (\w+)", RegexOptions.Multiline);

        Assert.Equal(["calls", "legs", "call_events", "rejected_records", "ledger_checkpoints"], statements.Where(m => m.Groups[1].Value == "TABLE").Select(m => m.Groups[2].Value));
        Assert.True(statements.Count > 3);
        foreach (Match statement in statements)
        {
            var guardLine = Schema[..statement.Index].TrimEnd().Split('\n')[^1];
            var name = statement.Groups[2].Value;
            var guarded = statement.Groups[1].Value == "TABLE"
                ? guardLine == $"IF OBJECT_ID(N'{name}', N'U') IS NULL"
                : guardLine.StartsWith("IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'" + name + "'", StringComparison.Ordinal);
            Assert.True(guarded, $"CREATE {statement.Groups[1].Value} {name} is not guarded: '{guardLine}'");
        }
    }

    [Fact]
    public void Instants_are_datetimeoffset_and_indexed_text_is_bounded()
    {
        Assert.Matches(@"arrived_at\s+datetimeoffset\(7\) NOT NULL", Schema);
        Assert.Matches(@"planned_at\s+datetimeoffset\(7\) NOT NULL", Schema);
        Assert.Matches(@"\bat\s+datetimeoffset\(7\) NOT NULL", Schema);
        Assert.Matches(@"seq\s+bigint IDENTITY\(1,1\) NOT NULL", Schema);
        Assert.Matches(@"event_id nvarchar\(256\) NOT NULL CONSTRAINT uq_call_events_event_id UNIQUE", Schema);
        // Index keys must be bounded types; free text may be nvarchar(max).
        foreach (var indexed in new[] { "call_id", "caller_channel_id", "channel_id", "leg_id", "kind" })
        {
            Assert.Matches($@"\b{indexed}\s+nvarchar\(256\)", Schema);
        }

        Assert.Matches(@"detail\s+nvarchar\(max\)", Schema);
        Assert.DoesNotContain("datetime2", Schema);
        Assert.DoesNotMatch(@"\bTEXT\b|\btimestamptz\b", Schema);
    }

    [Fact]
    public void Open_call_lookups_have_filtered_indexes()
    {
        Assert.Contains("CREATE INDEX ix_call_events_outcome_call_id ON call_events (call_id) WHERE kind = N'outcome';", Schema);
        Assert.Contains("CREATE INDEX ix_call_events_call_id ON call_events (call_id, seq);", Schema);
    }

    [Fact]
    public void Inserts_ignore_a_row_already_there_under_a_key_range_lock()
    {
        var statements = new LedgerStatements(Dialect);

        Assert.Equal(
            "INSERT INTO call_events (event_id, call_id, leg_id, at, kind, detail, node_id, chain_seq, prev_hash, call_prev_hash, row_hash) " +
            "SELECT @EventId, @CallId, @LegId, @At, @Kind, @Detail, @NodeId, @ChainSeq, @PrevHash, @CallPrevHash, @RowHash " +
            "WHERE NOT EXISTS (SELECT 1 FROM call_events WITH (UPDLOCK, HOLDLOCK) WHERE event_id = @EventId)",
            statements.InsertEvent);
        Assert.Contains("WHERE NOT EXISTS (SELECT 1 FROM calls WITH (UPDLOCK, HOLDLOCK) WHERE call_id = @CallId)", statements.InsertCall);
        Assert.Contains("WHERE NOT EXISTS (SELECT 1 FROM legs WITH (UPDLOCK, HOLDLOCK) WHERE leg_id = @LegId)", statements.InsertLeg);
    }

    [Fact]
    public void Migrations_are_serialised_by_a_transaction_owned_application_lock()
    {
        Assert.Contains("sp_getapplock @Resource = N'routing_ledger_migrations', @LockMode = 'Exclusive', @LockOwner = 'Transaction'", Dialect.MigrationLockStatement);
        Assert.Contains("IF @result < 0 THROW", Dialect.MigrationLockStatement);
        Assert.StartsWith("IF OBJECT_ID(N'migrations', N'U') IS NULL CREATE TABLE migrations (version int NOT NULL PRIMARY KEY", Dialect.CreateMigrationsTable);
        Assert.Contains("applied_at datetimeoffset(7) NOT NULL", Dialect.CreateMigrationsTable);
    }

    [Fact]
    public void Row_limits_use_top_and_instants_are_bound_in_utc()
    {
        Assert.Equal(("TOP (@Limit) ", ""), Dialect.RowLimit("Limit"));
        var bound = Assert.IsType<DateTimeOffset>(Dialect.ToDatabase(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.FromHours(6))));
        Assert.Equal(TimeSpan.Zero, bound.Offset);
        Assert.Equal(3, bound.Hour);
        Assert.IsType<Microsoft.Data.SqlClient.SqlConnection>(Dialect.CreateConnection("Server=127.0.0.1;Database=x"));
    }
}
