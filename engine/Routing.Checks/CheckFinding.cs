namespace Routing.Checks;

public enum Severity
{
    Warning,
    Error,
}

/// <summary>One problem found by <see cref="ConfigCheck"/>, pointing at the line to fix.</summary>
/// <param name="File">The file as given to the check (relative paths stay relative).</param>
/// <param name="Line">1-based line; 0 when the finding is about the whole file (e.g. it is missing).</param>
public sealed record CheckFinding(Severity Severity, string File, int Line, string Message)
{
    /// <summary>Compiler style, so editors and CI logs link to the line: <c>file:line: error: message</c>.</summary>
    public override string ToString()
    {
        var kind = Severity == Severity.Error ? "error" : "warning";
        return Line > 0 ? $"{File}:{Line}: {kind}: {Message}" : $"{File}: {kind}: {Message}";
    }
}

/// <param name="AppSettingsPath">The engine's appsettings.json (section Routing and Asterisk).</param>
/// <param name="DialplansDir">dialplans/ of the repository, or an installed Asterisk config directory.</param>
/// <param name="PromptsDir">ivr-prompts/ of the repository: texts in &lt;lang&gt;/, audio in audio/&lt;lang&gt;/.</param>
public sealed record CheckInputs(string AppSettingsPath, string DialplansDir, string PromptsDir);
