using Routing.TestSupport;

namespace Routing.Engine.Tests;

/// <summary>The recorded real-Asterisk traces the repository carries in tests/fixtures/asterisk-traces.</summary>
internal static class Traces
{
    public static string PathOf(string file) => RepositoryFiles.Trace(file);
}
