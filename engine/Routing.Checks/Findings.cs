namespace Routing.Checks;

/// <summary>Collects findings of one run, in the order the checks found them.</summary>
internal sealed class Findings
{
    private readonly List<CheckFinding> _items = [];

    public IReadOnlyList<CheckFinding> Items => _items;

    public bool HasErrors => _items.Any(f => f.Severity == Severity.Error);

    public void Error(string file, int line, string message) => _items.Add(new CheckFinding(Severity.Error, file, line, message));

    public void Warning(string file, int line, string message) => _items.Add(new CheckFinding(Severity.Warning, file, line, message));
}
