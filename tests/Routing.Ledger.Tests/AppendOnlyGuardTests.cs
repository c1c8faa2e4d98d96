using System.Text.RegularExpressions;
using Routing.Ledger.Migrations;
using Routing.Ledger.Storage;
using Routing.Ledger.Writing;

namespace Routing.Ledger.Tests;

/// <summary>The ledger is append-only (ARCHITECTURE invariant 1): no statement it can run changes
/// or removes a row. A guard against a future edit, scanning the SQL the code holds. The database
/// itself refusing UPDATE and DELETE is pinned by <see cref="Suite.LedgerSuite"/> (triggers on SQLite,
/// the engine role's grants on PostgreSQL); migration 0003, which defines those refusals, is not scanned.</summary>
public sealed partial class AppendOnlyGuardTests
{
    [GeneratedRegex(@"\b(UPDATE|DELETE|TRUNCATE|MERGE|DROP|REPLACE)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Mutation();

    [Fact]
    public void No_statement_the_ledger_runs_updates_or_deletes()
    {
        var sql = new List<(string Where, string Text)>();
        foreach (var provider in LedgerProviders.All)
        {
            var dialect = LedgerDialects.ForProvider(provider);
            sql.AddRange(MigrationCatalog.For(dialect).Where(m => m.Version != 3).Select(m => ($"{provider} migration {m.Version}", WithoutComments(m.Sql))));
            sql.AddRange(new LedgerStatements(dialect).All.Select(s => ($"{provider} insert", s)));
            sql.Add(($"{provider} migrations table", dialect.CreateMigrationsTable));
        }

        sql.AddRange(StringLiteralsInSource().Select(literal => ($"{literal.File}: string literal", literal.Text)));

        Assert.True(sql.Count > 20, "the guard found too little SQL to scan");
        Assert.All(sql, s => Assert.False(Mutation().IsMatch(s.Text), $"{s.Where} mutates the ledger: {s.Text}"));
    }

    [Fact]
    public void The_guard_would_catch_a_mutation() =>
        Assert.Matches(Mutation(), "INSERT INTO x SELECT 1; delete from calls");

    private static string WithoutComments(string sql) => Regex.Replace(sql, "--[^\n]*", "");

    // Every string literal in the ledger's C# sources (where its reader and writer SQL lives).
    private static IEnumerable<(string File, string Text)> StringLiteralsInSource()
    {
        var source = Path.Combine(RepositoryRoot(), "engine", "Routing.Ledger");
        foreach (var file in Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var lines = File.ReadAllLines(file).Where(line => !line.TrimStart().StartsWith("//", StringComparison.Ordinal));
            foreach (Match literal in Regex.Matches(string.Join("\n", lines), "\"(?:[^\"\\\\\\n]|\\\\.)*\""))
            {
                yield return (Path.GetFileName(file), literal.Value);
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Routing.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"Routing.sln not found above {AppContext.BaseDirectory}.");
    }
}
