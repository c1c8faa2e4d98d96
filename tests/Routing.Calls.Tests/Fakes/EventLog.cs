namespace Routing.Calls.Tests.Fakes;

/// <summary>One ordered log shared by the fake ports, so a test can assert that the journal was
/// written before telephony acted (write before act).</summary>
public sealed class EventLog
{
    private readonly List<string> _entries = [];

    public void Add(string entry)
    {
        lock (_entries) _entries.Add(entry);
    }

    public IReadOnlyList<string> Entries
    {
        get
        {
            lock (_entries) return _entries.ToList();
        }
    }

    public int IndexOf(string entry)
    {
        var entries = Entries;
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i] == entry) return i;
        }
        return -1;
    }
}
