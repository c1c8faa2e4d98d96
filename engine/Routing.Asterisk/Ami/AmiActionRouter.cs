using System.Collections.Concurrent;

namespace Routing.Asterisk.Ami;

/// <summary>What the router did with an incoming message.</summary>
public enum AmiRouteResult
{
    /// <summary>Not a response, nor part of a list we collect: an ordinary event for the event stream.</summary>
    NotMine,
    /// <summary>Completed the pending action with this ActionID.</summary>
    Completed,
    /// <summary>Taken into a pending list action (EventList start … Complete).</summary>
    Collected,
    /// <summary>A response nobody waits for (late after a timeout, or not ours): counted and dropped, never given to another waiter.</summary>
    Unsolicited,
}

/// <summary>
/// Pairs responses with pending actions by ActionID, and only by ActionID: a response that matches no
/// waiter is counted, never handed to the next one (that is how a late answer to a timed-out Originate would
/// be mistaken for the answer to a Hangup).
/// </summary>
public sealed class AmiActionRouter
{
    private readonly ConcurrentDictionary<string, PendingAction> _pending = new(StringComparer.Ordinal);
    private long _unsolicited;

    public int PendingCount => _pending.Count;
    public long UnsolicitedCount => Interlocked.Read(ref _unsolicited);

    public PendingAction Register(string actionId, AmiAction action, long generation)
    {
        var pending = new PendingAction(actionId, action, generation);
        if (!_pending.TryAdd(actionId, pending)) throw new InvalidOperationException($"ActionID {actionId} is already pending");
        return pending;
    }

    public bool Remove(string actionId) => _pending.TryRemove(actionId, out _);

    public AmiRouteResult Route(AmiMessage message)
    {
        var actionId = message.ActionId;
        if (message.IsResponse)
        {
            if (actionId is null || !_pending.TryGetValue(actionId, out var pending))
            {
                Interlocked.Increment(ref _unsolicited);
                return AmiRouteResult.Unsolicited;
            }
            if (string.Equals(message["EventList"], "start", StringComparison.OrdinalIgnoreCase))
            {
                pending.StartList(message); // wait for the events and their Complete
                return AmiRouteResult.Collected;
            }
            if (_pending.TryRemove(actionId, out _)) pending.Complete(new AmiResponse(message));
            return AmiRouteResult.Completed;
        }
        if (message.IsEvent && actionId is not null && _pending.TryGetValue(actionId, out var list) && list.IsCollecting)
        {
            if (string.Equals(message["EventList"], "Complete", StringComparison.OrdinalIgnoreCase))
            {
                if (_pending.TryRemove(actionId, out _)) list.CompleteList();
                return AmiRouteResult.Completed;
            }
            list.Collect(message);
            return AmiRouteResult.Collected;
        }
        return AmiRouteResult.NotMine;
    }

    /// <summary>Fails and removes every pending action (connection lost).</summary>
    public int FailAll(Func<PendingAction, Exception> error)
    {
        var failed = 0;
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var pending))
            {
                pending.Fail(error(pending));
                failed++;
            }
        }
        return failed;
    }
}

/// <summary>An action sent and waiting for its response.</summary>
public sealed class PendingAction
{
    private readonly TaskCompletionSource<AmiResponse> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private AmiMessage? _listStart;
    private List<AmiMessage>? _listEvents;

    internal PendingAction(string actionId, AmiAction action, long generation)
    {
        ActionId = actionId;
        Action = action;
        Generation = generation;
    }

    public string ActionId { get; }
    public AmiAction Action { get; }

    /// <summary>The connection it was sent on.</summary>
    public long Generation { get; }

    public Task<AmiResponse> Response => _done.Task;

    internal bool IsCollecting => _listStart is not null;

    internal void StartList(AmiMessage start)
    {
        _listStart = start;
        _listEvents = [];
    }

    internal void Collect(AmiMessage evt) => _listEvents!.Add(evt);

    internal void CompleteList() => _done.TrySetResult(new AmiResponse(_listStart!, _listEvents));

    internal void Complete(AmiResponse response) => _done.TrySetResult(response);

    internal void Fail(Exception error) => _done.TrySetException(error);
}
