namespace Routing.Engine.Tests;

/// <summary>The recorded real-Asterisk traces in shared/asterisk-traces, found by walking up from
/// the test binaries (../shared beside the repository, in a checkout and in CI).</summary>
internal static class Traces
{
    public static string PathOf(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "asterisk-traces", file);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"Cannot find shared/asterisk-traces/{file} above {AppContext.BaseDirectory}; shared/ must sit beside the repository.");
    }
}
