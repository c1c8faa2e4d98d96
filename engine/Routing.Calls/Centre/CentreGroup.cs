namespace Routing.Calls.Centre;

/// <summary>A group of positions with the calls waiting for it, both kept in the order they are served.</summary>
internal sealed class CentreGroup(string key, GroupOptions options, int order)
{
    public string Key { get; } = key;
    public DistributionStrategy Strategy { get; } = options.Strategy;
    public TimeSpan MaxWait { get; } = options.MaxWait;
    public int Order { get; } = order;
    public CentreGroup? Overflow { get; set; }
    public List<Position> Members { get; } = [];

    /// <summary>Calls this group may answer, in queue order (a call that overflowed is in several groups).</summary>
    public SortedSet<QueuedCall> Waiting { get; } = new(QueueOrder.Instance);

    /// <summary>Positions that may be offered a call now, longest idle first.</summary>
    public SortedSet<Position> Idle { get; } = new(IdleOrder.Instance);

    public bool Staffed => Members.Exists(p => p.Staffed);

    /// <summary>1-based place of a call among this group's waiting calls.</summary>
    public int PlaceOf(QueuedCall call) => Waiting.GetViewBetween(Waiting.Min!, call).Count;
}

/// <summary>Longest idle first; configuration order breaks ties.</summary>
internal sealed class IdleOrder : IComparer<Position>
{
    public static readonly IdleOrder Instance = new();

    public int Compare(Position? x, Position? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        var byIdle = x.IdleSince.CompareTo(y.IdleSince);
        return byIdle != 0 ? byIdle : x.Order.CompareTo(y.Order);
    }
}
