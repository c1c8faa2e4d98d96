namespace Routing.Checks.Tests;

/// <summary>The shipped files, found from the test binary up to the directory holding Routing.sln.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string AppSettings => Path.Combine(Root, "engine", "Routing.Engine", "appsettings.json");

    public static string Dialplans => Path.Combine(Root, "dialplans");

    public static string Prompts => Path.Combine(Root, "ivr-prompts");

    public static CheckInputs Inputs => new(AppSettings, Dialplans, Prompts);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Routing.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"Routing.sln not found above {AppContext.BaseDirectory}");
    }
}
