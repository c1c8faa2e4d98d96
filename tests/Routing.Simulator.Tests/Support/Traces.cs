using System.Text.Json;

namespace Routing.Simulator.Tests.Support;

/// <summary>The real Asterisk recordings in shared/asterisk-traces.</summary>
internal static class Traces
{
    public static string Directory { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", "asterisk-traces"), Path.Combine(dir.FullName, "..", "shared", "asterisk-traces") })
                if (File.Exists(Path.Combine(candidate, "README.md"))) return Path.GetFullPath(candidate);
        }
        const string fallback = "/work/shared/asterisk-traces";
        if (File.Exists(Path.Combine(fallback, "README.md"))) return fallback;
        throw new DirectoryNotFoundException("shared/asterisk-traces not found above " + AppContext.BaseDirectory);
    }

    public static IReadOnlyList<JsonElement> JsonLines(string file) =>
        File.ReadLines(Path.Combine(Directory, file))
            .Where(l => l.Trim().Length > 0)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .ToArray();

    public static string Text(string file) => File.ReadAllText(Path.Combine(Directory, file));
}
