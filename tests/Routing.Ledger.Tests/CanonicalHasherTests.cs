using Routing.Ledger.Chain;
using Routing.Ledger.Storage;
using Routing.Ledger.Writing;

namespace Routing.Ledger.Tests;

/// <summary>The writer's hasher gives every row the hash of <see cref="CanonicalRow"/>'s bytes (the definition the
/// verifier and the export recompute), on every dialect's instant values, with absent fields, text outside ASCII
/// and rows larger than its first buffer.</summary>
public sealed class CanonicalHasherTests
{
    private static readonly DateTimeOffset At = new DateTimeOffset(2026, 12, 7, 2, 30, 15, TimeSpan.FromHours(5)).AddTicks(1_234_567);

    public static TheoryData<string> Providers => [LedgerProviders.Sqlite, LedgerProviders.Postgres, LedgerProviders.SqlServer];

    [Theory]
    [MemberData(nameof(Providers))]
    public void Each_row_kind_hashes_as_its_canonical_bytes(string provider)
    {
        var dialect = LedgerDialects.ForProvider(provider);
        var hasher = new CanonicalHasher();
        LedgerRow[] rows =
        [
            new CallRow("call-1", "1795486382.2", "+7 701 «Алматы» 📞", "112", "112", dialect.ToDatabase(At), "node-ä"),
            new LegRow("leg-1", "call-1", "1795486382.3", "fire", "almaty", "fire-almaty-1", "PJSIP/fire-almaty-1", 3, dialect.ToDatabase(At.AddSeconds(2)), "node-ä"),
            new EventRow("event-1", "call-1", null, dialect.ToDatabase(At.AddSeconds(3)), "state", "Dialing -> Connected", "node-ä"),
            new EventRow("event-2", "call-1", "leg-1", dialect.ToDatabase(At.AddSeconds(4)), "leg.answered", "", "node-ä"),
            new EventRow("event-3", "call-1", "leg-1", dialect.ToDatabase(At), "note", new string('ж', 5_000) + "\u2400", "node-ä"),
        ];

        var seq = 9_999_999_999L;
        foreach (var row in rows)
        {
            var expected = CanonicalRow.Hash(CanonicalRow.Of(row, "node-ä", seq, CanonicalRow.Genesis, "ab" + new string('c', 62)));

            Assert.Equal(expected, hasher.Hash(row, "node-ä", seq, CanonicalRow.Genesis, "ab" + new string('c', 62)));
            seq++;
        }
    }

    [Fact]
    public void A_reused_hasher_gives_a_short_row_after_a_long_one_its_own_hash()
    {
        var hasher = new CanonicalHasher();
        var dialect = new SqliteDialect();
        var longRow = new EventRow("e-long", "c", null, dialect.ToDatabase(At), "note", new string('x', 10_000), "n");
        var shortRow = new EventRow("e-short", "c", null, dialect.ToDatabase(At), "note", "x", "n");

        hasher.Hash(longRow, "n", 1, CanonicalRow.Genesis, CanonicalRow.Genesis);

        Assert.Equal(
            CanonicalRow.Hash(CanonicalRow.Of(shortRow, "n", 2, CanonicalRow.Genesis, CanonicalRow.Genesis)),
            hasher.Hash(shortRow, "n", 2, CanonicalRow.Genesis, CanonicalRow.Genesis));
    }
}
