namespace Routing.Simulator.Ari;

/// <summary>
/// REST requests a test wants left unanswered, as an overloaded Asterisk leaves them (a 2-core box at
/// 50 calls/s answered nothing within 5 s): a stalled request is neither performed nor answered, and
/// ends only when the client gives up. Matched by method and the last path segment (the operation:
/// "continue", "answer", "variable"), or "resource/*" for any id of a resource ("bridges/*" for
/// DELETE /bridges/{id}), each rule for a bounded number of requests.
/// </summary>
internal sealed class RequestStalls
{
    private readonly Lock _gate = new();
    private readonly List<Rule> _rules = [];
    private readonly List<RecordedRequest> _held = [];

    /// <summary>Requests stalled now: received, not performed, not answered yet.</summary>
    public IReadOnlyList<RecordedRequest> Held
    {
        get
        {
            lock (_gate) return _held.ToList();
        }
    }

    /// <summary>Holds the request until the client gives up; it is listed in <see cref="Held"/> meanwhile.</summary>
    public async Task HoldAsync(RecordedRequest request, CancellationToken aborted)
    {
        lock (_gate) _held.Add(request);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, aborted);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            lock (_gate) _held.Remove(request);
        }
    }

    public void Add(string method, string operation, int count)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        ArgumentException.ThrowIfNullOrWhiteSpace(operation);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        lock (_gate) _rules.Add(new Rule(method, operation, count));
    }

    /// <summary>True (and one use of the rule spent) when this request is to be stalled.</summary>
    public bool TryTake(string method, IReadOnlyList<string> segments)
    {
        if (segments.Count == 0) return false;
        lock (_gate)
        {
            var rule = _rules.Find(r => r.Left > 0
                && string.Equals(r.Method, method, StringComparison.OrdinalIgnoreCase)
                && (string.Equals(r.Operation, segments[^1], StringComparison.Ordinal)
                    || (segments.Count >= 2 && string.Equals(r.Operation, segments[^2] + "/*", StringComparison.Ordinal))));
            if (rule is null) return false;
            rule.Left--;
            return true;
        }
    }

    private sealed class Rule(string method, string operation, int count)
    {
        public string Method { get; } = method;
        public string Operation { get; } = operation;
        public int Left { get; set; } = count;
    }
}
