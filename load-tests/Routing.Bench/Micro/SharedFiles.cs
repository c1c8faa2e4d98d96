namespace Routing.Bench.Micro;

/// <summary>Finds the repository (Routing.sln) and the recorded traces in shared/ beside it
/// (/work/shared next to /work/main here; ../shared next to a clone elsewhere).</summary>
public static class SharedFiles
{
    public static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Routing.sln"))) return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Routing.sln not found above {Directory.GetCurrentDirectory()} or {AppContext.BaseDirectory}");
    }

    public static string Trace(string fileName)
    {
        var root = RepositoryRoot();
        var path = Path.GetFullPath(Path.Combine(root, "..", "shared", "asterisk-traces", fileName));
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"Trace {fileName} not found at {path} (shared/ is expected beside the repository {root}).", path);
    }
}
