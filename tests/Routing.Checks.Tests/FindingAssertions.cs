namespace Routing.Checks.Tests;

internal static class FindingAssertions
{
    /// <summary>Exactly the error a broken file should give: in that file, on that line, saying that.</summary>
    public static CheckFinding HasError(this IReadOnlyList<CheckFinding> findings, string file, int line, string messagePart)
    {
        var match = findings.FirstOrDefault(f =>
            f.Severity == Severity.Error
            && Path.GetFullPath(f.File) == Path.GetFullPath(file)
            && f.Line == line
            && f.Message.Contains(messagePart, StringComparison.Ordinal));
        Assert.True(match is not null,
            $"expected an error at {file}:{line} containing \"{messagePart}\"; found:\n  " + string.Join("\n  ", findings.Select(f => f.ToString())));
        return match!;
    }
}
