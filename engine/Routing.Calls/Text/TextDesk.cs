namespace Routing.Calls.Text;

/// <summary>What became of one incoming message.</summary>
public abstract record TextArrival
{
    private TextArrival() { }

    /// <summary>Recorded in <paramref name="Session"/>; <paramref name="Opened"/> when this message opened it
    /// (then <see cref="TextSession.PreviousId"/> links the caller's last closed session, if any).</summary>
    public sealed record Accepted(TextSession Session, TextMessage Message, bool Opened, IReadOnlyList<string> Notes) : TextArrival;

    /// <summary>Over the number's flood limit: dropped. <paramref name="FirstInWindow"/> for the first dropped
    /// message of the window (the one the ledger notes), <paramref name="SessionId"/> the open session if any.</summary>
    public sealed record Flooded(string Key, string? SessionId, int Dropped, bool FirstInWindow) : TextArrival;

    /// <summary>A new caller while <see cref="TextOptions.MaxOpenSessions"/> sessions are open: refused.</summary>
    public sealed record Full(string Key) : TextArrival;

    /// <summary>Nothing left after cleaning (only control or formatting characters): dropped.</summary>
    public sealed record Empty(string Key, string? SessionId, IReadOnlyList<string> Notes) : TextArrival;
}

/// <summary>
/// Every open text session, keyed by gateway and caller number, with the flood limit per number and the memory
/// of recently closed sessions (to link a caller who writes again). Pure: no I/O; time is passed in; ids come
/// from the caller of <see cref="Receive"/>. Not thread-safe: one owner (the engine's text service) calls it.
/// </summary>
public sealed class TextDesk(TextOptions options)
{
    private readonly Dictionary<string, TextSession> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TextSession> _openByKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _lastClosedByKey = new(StringComparer.Ordinal);
    private readonly Queue<string> _closedOrder = new();
    private readonly Dictionary<string, Flood> _floods = new(StringComparer.Ordinal);

    public TextOptions Options { get; } = options;

    public int OpenCount => _openByKey.Count;

    public IEnumerable<TextSession> Open => _openByKey.Values;

    public TextSession? Find(string id) => id is not null && _byId.TryGetValue(id, out var s) ? s : null;

    /// <summary>The session key of a sender at a gateway: its number, or the endpoint itself when the From has none.</summary>
    public static string KeyOf(string gateway, TextSender sender) => $"{gateway}|{(sender.Number.Length > 0 ? sender.Number : "-")}";

    public TextArrival Receive(string gateway, TextGatewayOptions gatewayOptions, TextSender sender, string? rawBody, string? languageHint,
        string region, DateTimeOffset now, Func<string> newId)
    {
        var key = KeyOf(gateway, sender);
        _openByKey.TryGetValue(key, out var open);
        if (!Admit(key, now, out var dropped, out var first)) return new TextArrival.Flooded(key, open?.Id, dropped, first);

        var body = TextBody.Clean(rawBody, Options.MaxBodyLength);
        var notes = sender.Notes.Concat(body.Notes).ToList();
        if (body.Text.Length == 0) return new TextArrival.Empty(key, open?.Id, notes.Append("empty after cleaning").ToList());

        var opened = false;
        if (open is null)
        {
            if (_openByKey.Count >= Options.MaxOpenSessions) return new TextArrival.Full(key);
            var language = Language(languageHint) ?? Language(gatewayOptions.Language) ?? TextBody.GuessLanguage(body.Text);
            _lastClosedByKey.TryGetValue(key, out var previous);
            open = new TextSession(newId(), gateway, gatewayOptions.Endpoint, sender, region, language, gatewayOptions.Entry, previous, now);
            _byId[open.Id] = open;
            _openByKey[key] = open;
            opened = true;
        }

        return new TextArrival.Accepted(open, open.Received(body.Text, now), opened, notes);
    }

    /// <summary>A session an earlier run left open (<see cref="TextSession.Restore"/>), taken back: its caller's next
    /// message joins it. False when the desk already has it or another open session of that caller.</summary>
    public bool Adopt(TextSession session)
    {
        var key = KeyOf(session.Gateway, new TextSender(session.Number, "", []));
        if (!session.IsOpen || _byId.ContainsKey(session.Id) || _openByKey.ContainsKey(key)) return false;
        _byId[session.Id] = session;
        _openByKey[key] = session;
        return true;
    }

    /// <summary>Forgets a closed session (after the engine recorded the close), remembering its id for the caller's next session.</summary>
    public void Closed(TextSession session)
    {
        var key = KeyOf(session.Gateway, new TextSender(session.Number, "", []));
        if (_openByKey.TryGetValue(key, out var open) && ReferenceEquals(open, session)) _openByKey.Remove(key);
        _byId.Remove(session.Id);
        if (Options.RememberClosed == 0) return;
        _lastClosedByKey[key] = session.Id;
        _closedOrder.Enqueue(key);
        while (_closedOrder.Count > Options.RememberClosed)
        {
            var old = _closedOrder.Dequeue();
            // A key closed twice is in the queue twice: forget it only at its last entry.
            if (!_closedOrder.Contains(old)) _lastClosedByKey.Remove(old);
        }
    }

    /// <summary>Sessions nobody wrote in for <see cref="TextOptions.IdleTimeout"/>.</summary>
    public IReadOnlyList<TextSession> Idle(DateTimeOffset now) => _openByKey.Values.Where(s => s.IdleSince(now, Options.IdleTimeout)).ToList();

    /// <summary>When the next session can go idle (for the engine's timer), or null with none open.</summary>
    public DateTimeOffset? NextIdleAt => _openByKey.Count == 0 ? null : _openByKey.Values.Min(s => s.LastActivity) + Options.IdleTimeout;

    /// <summary>Fixed window per key; windows of quiet numbers are dropped as they end, so memory follows the active numbers.</summary>
    private bool Admit(string key, DateTimeOffset now, out int dropped, out bool firstDrop)
    {
        if (_floods.Count > 4 * Options.MaxOpenSessions) Prune(now);
        if (!_floods.TryGetValue(key, out var flood) || now - flood.Start >= Options.FloodWindow) _floods[key] = flood = new Flood(now);
        flood.Count++;
        if (flood.Count <= Options.FloodLimit)
        {
            dropped = 0;
            firstDrop = false;
            return true;
        }

        flood.Dropped++;
        dropped = flood.Dropped;
        firstDrop = flood.Dropped == 1;
        return false;
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var key in _floods.Where(f => now - f.Value.Start >= Options.FloodWindow).Select(f => f.Key).ToList()) _floods.Remove(key);
    }

    private static string? Language(string? code) =>
        code is { Length: >= 2 and <= 8 } && code.All(char.IsAsciiLetter) ? code.ToLowerInvariant() : null;

    private sealed class Flood(DateTimeOffset start)
    {
        public DateTimeOffset Start { get; } = start;

        public int Count { get; set; }

        public int Dropped { get; set; }
    }
}
