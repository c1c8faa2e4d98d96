namespace Routing.Calls.Centre;

/// <summary>A call-taker position's mutable state, owned by <see cref="CallCentre"/>.</summary>
internal sealed class Position(string id, string endpoint, CentreGroup group, IReadOnlyList<string> languages, int order, DateTimeOffset now)
{
    public string Id { get; } = id;
    public string Endpoint { get; } = endpoint;
    public CentreGroup Group { get; } = group;
    public IReadOnlyList<string> Languages { get; } = languages;

    /// <summary>Configuration order: breaks ties of equal idle time so the choice is deterministic.</summary>
    public int Order { get; } = order;

    public CallTakerState State { get; set; } = CallTakerState.LoggedOut;
    public string? PauseReason { get; set; }
    public bool Reachable { get; set; }
    public DateTimeOffset StateSince { get; set; } = now;

    /// <summary>When it last became Available after work, a pause or a login. An offer that is withdrawn
    /// (answered elsewhere, caller gone) keeps it: ringing is not work.</summary>
    public DateTimeOffset IdleSince { get; set; } = now;

    /// <summary>The call offered to it, or the call it is on (also kept through WrapUp for the view).</summary>
    public QueuedCall? Call { get; set; }

    /// <summary>Bumped on every state change; a timer armed for an older version is stale.</summary>
    public long Version { get; set; }

    public bool Speaks(string language) => Languages.Contains(language, StringComparer.OrdinalIgnoreCase);

    /// <summary>Able to take calls now or soon: logged in, not paused, device reachable.</summary>
    public bool Staffed => Reachable && State is not (CallTakerState.LoggedOut or CallTakerState.Paused);

    /// <summary>In its group's idle set: may be offered a call right now.</summary>
    public bool Idle => Reachable && State == CallTakerState.Available;
}
