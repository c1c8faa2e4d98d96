using System.Text;

namespace Routing.Checks.Tests;

/// <summary>A private copy of the shipped appsettings.json, dialplans/ and ivr-prompts/ in a temp
/// directory, so a test can break exactly one thing and see what the check says about it.</summary>
internal sealed class ConfigCopy : IDisposable
{
    public ConfigCopy()
    {
        Root = Directory.CreateTempSubdirectory("routing-checks-").FullName;
        AppSettings = Path.Combine(Root, "appsettings.json");
        Dialplans = Path.Combine(Root, "dialplans");
        Prompts = Path.Combine(Root, "ivr-prompts");
        File.Copy(RepositoryFiles.AppSettings, AppSettings);
        CopyDirectory(RepositoryFiles.Dialplans, Dialplans);
        CopyDirectory(RepositoryFiles.Prompts, Prompts);
    }

    public string Root { get; }

    public string AppSettings { get; }

    public string Dialplans { get; }

    public string Prompts { get; }

    public CheckInputs Inputs => new(AppSettings, Dialplans, Prompts);

    public string Dialplan(string name) => Path.Combine(Dialplans, name);

    public IReadOnlyList<CheckFinding> Check() => ConfigCheck.Run(Inputs);

    /// <summary>Replaces the first occurrence of <paramref name="from"/>; fails the test if absent,
    /// so a test never passes because its edit silently did nothing.</summary>
    public void Replace(string path, string from, string to)
    {
        var text = File.ReadAllText(path);
        var at = text.IndexOf(from, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{from}' not found in {path}");
        File.WriteAllText(path, string.Concat(text.AsSpan(0, at), to, text.AsSpan(at + from.Length)), new UTF8Encoding(false));
    }

    /// <summary>1-based line of the first line containing <paramref name="text"/>.</summary>
    public static int LineOf(string path, string text)
    {
        var lines = File.ReadAllLines(path);
        var index = Array.FindIndex(lines, l => l.Contains(text, StringComparison.Ordinal));
        Assert.True(index >= 0, $"'{text}' not found in {path}");
        return index + 1;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
