namespace Routing.Calls.Centre;

internal enum TimerKind
{
    OfferTimeout,
    WrapUpEnd,
    LanguageWait,
    MaxWait,
    Announce,
}

/// <summary>A due time armed by the centre. It carries what it was armed for (the position's version, the
/// call's stay and group count) so that a timer outlived by events is recognised as stale and skipped,
/// instead of being searched for and removed.</summary>
internal sealed record CentreTimer(TimerKind Kind, DateTimeOffset DueAt, Position? Position = null, long Version = 0, QueuedCall? Call = null, int GroupCount = 0);

/// <summary>Due times in order (equal times in the order armed).</summary>
internal sealed class CentreTimers
{
    private readonly PriorityQueue<CentreTimer, (DateTimeOffset, long)> _due = new();
    private long _armed;

    public int Count => _due.Count;

    public void Arm(CentreTimer timer) => _due.Enqueue(timer, (timer.DueAt, _armed++));

    public DateTimeOffset? NextDueAt => _due.TryPeek(out var timer, out _) ? timer.DueAt : null;

    public bool TryTakeDue(DateTimeOffset now, out CentreTimer timer)
    {
        if (_due.TryPeek(out timer!, out _) && timer.DueAt <= now)
        {
            _due.Dequeue();
            return true;
        }
        return false;
    }
}
