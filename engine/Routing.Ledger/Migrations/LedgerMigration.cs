namespace Routing.Ledger.Migrations;

/// <summary>One schema step for one dialect. Versions only grow; an applied migration is never edited.</summary>
public sealed record LedgerMigration(int Version, string Name, string Sql);
