namespace Routing.TestSupport;

/// <summary>Finds files the repository carries for its tests: the repository root (the folder with
/// Routing.sln), and the real-Asterisk recordings under tests/fixtures. Linked into every test
/// project and the benchmark, so a fresh clone with nothing beside it finds its own fixtures.</summary>
internal static class RepositoryFiles
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string RepositoryRoot => Root.Value;

    /// <summary>tests/fixtures/asterisk-traces: ARI/AMI/SIP traffic recorded from a real Asterisk 23.4.1.</summary>
    public static string TracesDirectory => Path.Combine(RepositoryRoot, "tests", "fixtures", "asterisk-traces");

    /// <summary>tests/fixtures/ari-api-docs: Asterisk's own ARI description (api-docs/*.json).</summary>
    public static string AriApiDocsDirectory => Path.Combine(RepositoryRoot, "tests", "fixtures", "ari-api-docs");

    public static string Trace(string file)
    {
        var path = Path.Combine(TracesDirectory, file);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"recorded trace '{file}' is missing from {TracesDirectory}", path);
    }

    private static string FindRoot()
    {
        var searched = new List<string>();
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Routing.sln"))) return dir.FullName;
            }

            searched.Add(start);
        }

        throw new DirectoryNotFoundException("Routing.sln not found above " + string.Join(" or ", searched) +
            "; the tests read their fixtures from tests/fixtures in the repository.");
    }
}
