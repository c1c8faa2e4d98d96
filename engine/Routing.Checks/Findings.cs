namespace Routing.Checks;

/// <summary>Collects findings of one run, in the order the checks found them.</summary>
internal sealed class Findings
{
    private readonly List<CheckFinding> _items = [];

    public IReadOnlyList<CheckFinding> Items => _items;

    public bool HasErrors => _items.Any(f => f.Severity == Severity.Error);

    public void Error(string file, int line, string message) => Add(new CheckFinding(Severity.Error, file, line, message));

    public void Warning(string file, int line, string message) => Add(new CheckFinding(Severity.Warning, file, line, message));

    /// <summary>Each finding once: two checks (or one check reached twice) that find the same fault
    /// at the same place say it once.</summary>
    private void Add(CheckFinding finding)
    {
        if (!_items.Contains(finding)) _items.Add(finding);
    }
}
