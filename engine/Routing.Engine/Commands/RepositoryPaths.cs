namespace Routing.Engine.Commands;

/// <summary>Where the shipped files are when the tools run from a checkout (the Makefile runs them
/// from the repository root); every path can be overridden on the command line.</summary>
internal static class RepositoryPaths
{
    public static string AppSettings => Path.Combine(Root, "engine", "Routing.Engine", "appsettings.json");

    public static string Dialplans => Path.Combine(Root, "dialplans");

    public static string Prompts => Path.Combine(Root, "ivr-prompts");

    /// <summary>The nearest directory above the working directory (or the binary) holding Routing.sln.</summary>
    public static string Root
    {
        get
        {
            foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            {
                for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                {
                    if (File.Exists(Path.Combine(dir.FullName, "Routing.sln")))
                    {
                        return dir.FullName;
                    }
                }
            }

            return Directory.GetCurrentDirectory();
        }
    }
}
