namespace Routing.Calls.Centre;

/// <summary>The centre's model: positions, groups, calls, and the one place a position changes state.</summary>
public sealed partial class CallCentre
{
    private readonly Dictionary<string, Position> _positions = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Position> _byEndpoint = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Position> _positionOrder = [];
    private readonly Dictionary<string, CentreGroup> _groups = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<CentreGroup> _groupOrder = [];
    private readonly Dictionary<string, CentreGroup> _groupOfRegion = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, QueuedCall> _queued = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Position> _onPosition = new(StringComparer.Ordinal);
    private readonly CentreTimers _timers = new();
    private CentreGroup _defaultGroup = null!;
    private long _sequence;

    private DateTimeOffset Now => _time.GetUtcNow();

    private void BuildModel(CentreOptions options)
    {
        foreach (var (key, group) in options.Groups)
        {
            var model = new CentreGroup(key, group, _groupOrder.Count);
            _groups[key] = model;
            _groupOrder.Add(model);
            foreach (var region in group.Regions) _groupOfRegion[region] = model;
        }
        foreach (var (key, group) in options.Groups)
        {
            if (!string.IsNullOrEmpty(group.OverflowTo)) _groups[key].Overflow = _groups[group.OverflowTo];
        }
        _defaultGroup = _groups[options.DefaultGroup];
        var now = Now;
        foreach (var (id, p) in options.Positions)
        {
            var languages = p.Languages.Select(l => l.ToLowerInvariant()).ToArray();
            var position = new Position(id, p.Endpoint, _groups[p.Group], languages, _positionOrder.Count, now);
            _positions[id] = position;
            _positionOrder.Add(position);
            _groups[p.Group].Members.Add(position);
            _byEndpoint[p.Endpoint] = position;
            var slash = p.Endpoint.IndexOf('/', StringComparison.Ordinal);
            _byEndpoint.TryAdd(p.Endpoint[(slash + 1)..], position);
        }
    }

    private string? FindPositionByEndpoint(string endpoint) =>
        endpoint is not null && _byEndpoint.TryGetValue(endpoint, out var p) ? p.Id : null;

    private DateTimeOffset? PeekDue() => _timers.NextDueAt;

    private int WaitingCallCount() => _queued.Count;

    /// <summary>The one place a position changes state: keeps its group's idle set, its version (stale
    /// timers) and the notice in step.</summary>
    private void Move(Position p, CallTakerState to, string? reason, string? callId, List<CentreDecision> decisions)
    {
        var from = p.State;
        if (p.Idle) p.Group.Idle.Remove(p);
        var now = Now;
        // Coming back from work, a pause or a login restarts the idle clock; a withdrawn offer does not.
        if (to == CallTakerState.Available && from != CallTakerState.Offered) p.IdleSince = now;
        p.State = to;
        p.PauseReason = to == CallTakerState.Paused ? reason : null;
        p.StateSince = now;
        p.Version++;
        if (p.Idle) p.Group.Idle.Add(p);
        decisions.Add(new CallTakerChanged(p.Id, from, to, reason, callId));
    }

    private void SetReachable(Position p, bool reachable)
    {
        if (p.Idle) p.Group.Idle.Remove(p);
        p.Reachable = reachable;
        if (p.Idle) p.Group.Idle.Add(p);
    }

    private bool TryPosition(string callTakerId, out Position position, out Refusal? refusal)
    {
        if (callTakerId is not null && _positions.TryGetValue(callTakerId, out position!))
        {
            refusal = null;
            return true;
        }
        position = null!;
        refusal = new Refusal(RefusalKind.UnknownCallTaker, $"no call-taker position '{Shown(callTakerId)}'");
        return false;
    }

    private static Refusal NotAllowed(Position p, string action, params CallTakerState[] allowed) =>
        new(RefusalKind.NotAllowed, $"{p.Id} is {p.State}; {action} is allowed in {string.Join(" or ", allowed)}");

    /// <summary>Caller-supplied ids go into messages: keep them printable and short.</summary>
    private static string Shown(string? text) => Routing.CallerText.CleanText(text, 64);

    private CallTakerView? ViewOf(string callTakerId) =>
        callTakerId is not null && _positions.TryGetValue(callTakerId, out var p) ? View(p) : null;

    private static CallTakerView View(Position p) => new(
        p.Id, p.Endpoint, p.Group.Key, p.Languages, p.State, p.PauseReason, p.Reachable, p.StateSince,
        p.State == CallTakerState.Available ? p.IdleSince : null, p.Call?.Id);

    private CentreSnapshot TakeSnapshot()
    {
        var waiting = _queued.Values.OrderBy(c => c, QueueOrder.Instance)
            .Select(c => new WaitingCallView(c.Id, c.Priority, c.Language, c.Groups.Select(g => g.Key).ToArray(),
                c.Latest.PlaceOf(c), c.FirstQueuedAt, c.QueuedAt, c.Ringing.Select(p => p.Id).ToArray()))
            .ToArray();
        return new CentreSnapshot(Now, _positionOrder.Select(View).ToArray(), waiting);
    }
}
