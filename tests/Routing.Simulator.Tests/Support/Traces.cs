using Routing.TestSupport;
using System.Text.Json;

namespace Routing.Simulator.Tests.Support;

/// <summary>The real Asterisk recordings the repository carries in tests/fixtures/asterisk-traces.</summary>
internal static class Traces
{
    public static string Directory { get; } = RepositoryFiles.TracesDirectory;

    public static IReadOnlyList<JsonElement> JsonLines(string file) =>
        File.ReadLines(Path.Combine(Directory, file))
            .Where(l => l.Trim().Length > 0)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .ToArray();

    public static string Text(string file) => File.ReadAllText(Path.Combine(Directory, file));
}
