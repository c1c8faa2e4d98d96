namespace Routing.Asterisk.Tests.Support;

/// <summary>Finds the recorded Asterisk traces: walks up from the test binaries to a folder holding
/// shared/asterisk-traces (/work/shared beside /work/main here; ../shared beside the clone in CI).</summary>
public static class Traces
{
    private static readonly Lazy<string> Root = new(Find);

    public static string Dir => Root.Value;

    public static string PathOf(string file)
    {
        var path = System.IO.Path.Combine(Dir, file);
        if (!File.Exists(path)) throw new FileNotFoundException($"trace file '{file}' is missing from {Dir}", path);
        return path;
    }

    public static IEnumerable<string> Files(string pattern) => Directory.EnumerateFiles(Dir, pattern).OrderBy(f => f, StringComparer.Ordinal);

    private static string Find()
    {
        var searched = new List<string>();
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "asterisk-traces");
            searched.Add(candidate);
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException(
            "Cannot find shared/asterisk-traces above " + AppContext.BaseDirectory +
            ". The traces live in shared/ beside the repository (e.g. /work/shared). Searched: " + string.Join(", ", searched));
    }
}
