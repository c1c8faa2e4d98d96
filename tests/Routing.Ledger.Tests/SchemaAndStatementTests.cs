using System.Text.RegularExpressions;
using Routing.Ledger.Migrations;
using Routing.Ledger.Storage;
using Routing.Ledger.Writing;

namespace Routing.Ledger.Tests;

public sealed class SchemaAndStatementTests
{
    public static TheoryData<string> Providers => new(LedgerProviders.All);

    [Fact]
    public void Every_dialect_ships_the_same_migrations()
    {
        var byDialect = LedgerProviders.All
            .Select(p => MigrationCatalog.For(LedgerDialects.ForProvider(p)).Select(m => (m.Version, m.Name)).ToList())
            .ToList();

        Assert.All(byDialect, migrations => Assert.Equal(byDialect[0], migrations));
        Assert.Equal(1, byDialect[0][0].Version);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void The_schema_has_the_tables_columns_and_indexes_the_ledger_needs(string provider)
    {
        var dialect = LedgerDialects.ForProvider(provider);
        var sql = string.Join("\n", MigrationCatalog.For(dialect).Select(m => m.Sql));

        foreach (var column in LedgerStatements.CallColumns.Concat(LedgerStatements.LegColumns).Concat(LedgerStatements.EventColumns))
        {
            Assert.Matches($@"\n\s+{column}\s", sql);
        }

        Assert.Matches(@$"arrived_at\s+{Regex.Escape(dialect.TimestampType)} NOT NULL", sql);
        Assert.Matches(@"call_id\s+\S+ NOT NULL (CONSTRAINT fk_legs_calls )?REFERENCES calls \(call_id\)", sql);
        Assert.Matches(@"ON call_events \(call_id\) WHERE kind = N?'outcome'", sql);
        Assert.Matches(@"ON call_events \(call_id, seq\)", sql);
        Assert.Matches(@"ix_call_events_kind_at ON call_events \(kind, at(, seq)?\)", sql);
        Assert.Matches(@"ON calls \(caller_channel_id\)", sql);
        Assert.Contains(dialect.IdentityColumn("seq").Replace(" PRIMARY KEY", "", StringComparison.Ordinal).Split(' ')[1], sql);
    }

    [Fact]
    public void Sqlite_instants_are_fixed_width_utc_text_that_sorts_in_time_order()
    {
        var dialect = new SqliteDialect();
        var earlier = dialect.ToDatabase(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.FromHours(6)).AddTicks(1_234_567));
        var later = dialect.ToDatabase(new DateTimeOffset(2026, 11, 24, 3, 0, 1, TimeSpan.Zero));

        Assert.Equal("2026-11-24T03:00:00.123456Z", earlier);
        Assert.True(string.CompareOrdinal((string)earlier, (string)later) < 0);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 3, 0, 0, TimeSpan.Zero).AddTicks(1_234_560), dialect.FromDatabase(earlier));
        var garbage = Assert.Throws<FormatException>(() => dialect.FromDatabase("yesterday"));
        Assert.Contains("'yesterday'", garbage.Message);
    }

    [Fact]
    public void An_unknown_provider_is_refused_naming_the_key()
    {
        var error = Assert.Throws<ArgumentException>(() => LedgerDialects.ForProvider("mysql"));

        Assert.Contains("Ledger:Provider 'mysql' is unknown", error.Message);
    }
}
