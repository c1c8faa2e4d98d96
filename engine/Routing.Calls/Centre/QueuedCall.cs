namespace Routing.Calls.Centre;

/// <summary>A call in the centre's queue (one object per stay: a requeued or returned call is a new one, so the
/// timers of the earlier stay are stale).</summary>
internal sealed class QueuedCall(string id, CallPriority priority, string? language, CentreGroup home, DateTimeOffset firstQueuedAt, DateTimeOffset queuedAt, long key, long sequence)
{
    public string Id { get; } = id;
    public CallPriority Priority { get; } = priority;
    public string? Language { get; } = language;
    public CentreGroup Home { get; } = home;
    public DateTimeOffset FirstQueuedAt { get; } = firstQueuedAt;
    public DateTimeOffset QueuedAt { get; } = queuedAt;

    /// <summary>Queue order: <see cref="QueuedAt"/> minus the class head start, in ticks (see <see cref="QueueOptions"/>).
    /// Fixed for the whole stay, so aging needs no re-sorting.</summary>
    public long Key { get; } = key;

    /// <summary>Arrival order, breaking ties of <see cref="Key"/> (FIFO within a class).</summary>
    public long Sequence { get; } = sequence;

    /// <summary>Groups that may answer it: home first, then each overflow group reached.</summary>
    public List<CentreGroup> Groups { get; } = [];

    public CentreGroup Latest => Groups[^1];

    /// <summary>When it reached <see cref="Latest"/>: that group's max wait counts from here.</summary>
    public DateTimeOffset ReachedLatestAt { get; set; }

    /// <summary>Positions ringing for it now; empty while it simply waits.</summary>
    public List<Position> Ringing { get; } = [];

    public DateTimeOffset AnswerBy { get; set; }

    /// <summary>False once it was answered, abandoned or handed to the fallback; its timers are then stale.</summary>
    public bool InQueue { get; set; } = true;
}

/// <summary>Queue order: smaller key first, then arrival order.</summary>
internal sealed class QueueOrder : IComparer<QueuedCall>
{
    public static readonly QueueOrder Instance = new();

    public int Compare(QueuedCall? x, QueuedCall? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        var byKey = x.Key.CompareTo(y.Key);
        return byKey != 0 ? byKey : x.Sequence.CompareTo(y.Sequence);
    }
}
