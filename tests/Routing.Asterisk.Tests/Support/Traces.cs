using Routing.TestSupport;

namespace Routing.Asterisk.Tests.Support;

/// <summary>The recorded Asterisk traces the repository carries in tests/fixtures/asterisk-traces.</summary>
public static class Traces
{
    public static string Dir => RepositoryFiles.TracesDirectory;

    public static string PathOf(string file)
    {
        var path = System.IO.Path.Combine(Dir, file);
        if (!File.Exists(path)) throw new FileNotFoundException($"trace file '{file}' is missing from {Dir}", path);
        return path;
    }

    public static IEnumerable<string> Files(string pattern) => Directory.EnumerateFiles(Dir, pattern).OrderBy(f => f, StringComparer.Ordinal);
}
