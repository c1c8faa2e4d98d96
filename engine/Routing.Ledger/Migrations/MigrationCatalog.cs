using System.Globalization;
using System.Reflection;
using Routing.Ledger.Storage;

namespace Routing.Ledger.Migrations;

/// <summary>
/// The migrations shipped in this assembly: embedded <c>Migrations/&lt;Dialect&gt;/NNNN_name.sql</c>
/// files, one folder per dialect, the same versions in each.
/// </summary>
public static class MigrationCatalog
{
    private const string Prefix = "ledger/";

    public static IReadOnlyList<LedgerMigration> For(ILedgerDialect dialect)
    {
        var assembly = typeof(MigrationCatalog).Assembly;
        var folder = Prefix + dialect.MigrationFolder + "/";
        var migrations = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(folder, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => Load(assembly, name, name[folder.Length..^".sql".Length]))
            .OrderBy(m => m.Version)
            .ToList();

        if (migrations.Count == 0)
        {
            throw new InvalidOperationException($"No ledger migrations are embedded for {dialect.Provider} (looked for {folder}*.sql).");
        }

        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Ledger migration version {duplicate.Key} appears twice for {dialect.Provider}: {string.Join(", ", duplicate.Select(m => m.Name))}.");
        }

        return migrations;
    }

    private static LedgerMigration Load(Assembly assembly, string resource, string fileName)
    {
        var separator = fileName.IndexOf('_');
        if (separator <= 0 || !int.TryParse(fileName[..separator], NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version <= 0)
        {
            throw new InvalidOperationException($"Ledger migration '{resource}' must be named NNNN_name.sql with a positive version.");
        }

        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Ledger migration '{resource}' could not be read.");
        using var reader = new StreamReader(stream);
        return new LedgerMigration(version, fileName[(separator + 1)..], reader.ReadToEnd());
    }
}
