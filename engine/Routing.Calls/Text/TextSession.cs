namespace Routing.Calls.Text;

public enum TextSessionState
{
    /// <summary>In the centre's queue (or offered to a console) waiting for a call-taker.</summary>
    Waiting,

    /// <summary>A call-taker accepted it and writes with the caller.</summary>
    WithCallTaker,

    /// <summary>Handed to an agency's text desk: the agency has the transcript and gets every later message.</summary>
    WithAgency,

    Closed,
}

public enum TextDirection
{
    /// <summary>From the caller.</summary>
    In,

    /// <summary>To the caller (typed by a call-taker, or the engine's automatic notice).</summary>
    Out,

    /// <summary>To the agency's text desk (transcript and forwarded messages).</summary>
    ToAgency,
}

/// <param name="Author">Position (call-taker), <c>engine</c>, or the caller's number.</param>
public sealed record TextMessage(int Seq, TextDirection Direction, string Text, DateTimeOffset At, string Author);

/// <summary>
/// One text conversation with a caller (the police app, any SIP MESSAGE sender): a call of its own kind, not a
/// voice <see cref="Call"/> — it has no channel, no bridge and no media, only messages. It queues for a
/// call-taker like a voice call (the engine enqueues its id in the same centre), is accepted in the console,
/// classified with the voice call's classifications and outcomes, handed to an agency, and closed. Pure state:
/// no I/O, time passed in. Every action returns null when it was done, or why it was refused (and then
/// nothing changed).
/// </summary>
public sealed partial class TextSession
{
    private readonly List<TextMessage> _messages = [];

    public TextSession(string id, string gateway, string endpoint, TextSender sender, string region, string? language, CallEntry entry, string? previousId, DateTimeOffset openedAt)
    {
        Id = id;
        Gateway = gateway;
        Endpoint = endpoint;
        Number = sender.Number;
        Name = sender.Name;
        Region = region;
        Language = language;
        Entry = entry;
        PreviousId = previousId;
        OpenedAt = openedAt;
        LastActivity = openedAt;
    }

    public string Id { get; }

    /// <summary>Gateway key (Text:Gateways) and its PJSIP endpoint (<c>PJSIP/appgw</c>).</summary>
    public string Gateway { get; }

    public string Endpoint { get; }

    /// <summary>The caller's number; empty when the From carried none (then the endpoint itself is the caller).</summary>
    public string Number { get; }

    public string Name { get; }

    public string Region { get; }

    public string? Language { get; }

    public CallEntry Entry { get; }

    /// <summary>The session this caller had before, closed, when it wrote again.</summary>
    public string? PreviousId { get; }

    public DateTimeOffset OpenedAt { get; }

    public DateTimeOffset LastActivity { get; private set; }

    public TextSessionState State { get; private set; } = TextSessionState.Waiting;

    public string? CallTaker { get; private set; }

    public string? CallTakerUser { get; private set; }

    public string? Agency { get; private set; }

    public ClassificationKind? Kind { get; private set; }

    public string? IncidentType { get; private set; }

    public string? Note { get; private set; }

    public CallOutcome? Outcome { get; private set; }

    public string? CloseReason { get; private set; }

    public IReadOnlyList<TextMessage> Messages => _messages;

    public bool IsOpen => State != TextSessionState.Closed;

    /// <summary>A caller's message: recorded whatever the state (a message to a closed session is the desk's
    /// business: it opens a new one).</summary>
    public TextMessage Received(string text, DateTimeOffset at) => Add(TextDirection.In, text, at, Number.Length > 0 ? Number : Endpoint);

    public TextMessage Sent(string text, DateTimeOffset at, string author) => Add(TextDirection.Out, text, at, author);

    public TextMessage CopiedToAgency(string text, DateTimeOffset at) => Add(TextDirection.ToAgency, text, at, "engine");

    public string? Accept(string position, string user, DateTimeOffset at)
    {
        if (State != TextSessionState.Waiting) return $"text session {Id} is {State}; accepting is allowed while Waiting";
        State = TextSessionState.WithCallTaker;
        CallTaker = position;
        CallTakerUser = user;
        LastActivity = at;
        return null;
    }

    /// <summary>Only the call-taker holding the session may reply while it is theirs.</summary>
    public string? MayWrite(string position) => State switch
    {
        TextSessionState.WithCallTaker when string.Equals(CallTaker, position, StringComparison.OrdinalIgnoreCase) => null,
        TextSessionState.WithCallTaker => $"text session {Id} is with {CallTaker}, not {position}",
        _ => $"text session {Id} is {State}; a call-taker writes only while it is WithCallTaker",
    };

    public string? Classify(string position, ClassificationKind kind, string? agency, string? incidentType, string? note)
    {
        if (MayWrite(position) is { } refused) return refused;
        Kind = kind;
        Agency = kind == ClassificationKind.Emergency ? agency : null;
        IncidentType = incidentType;
        Note = note;
        return null;
    }

    /// <summary>To the agency's text desk: by the call-taker (after classifying it as an emergency), or by the
    /// engine when the centre gave up (<paramref name="position"/> null).</summary>
    public string? HandOver(string? position, string agency, DateTimeOffset at)
    {
        if (position is null)
        {
            if (State != TextSessionState.Waiting) return $"text session {Id} is {State}; only a waiting session is handed over without a call-taker";
        }
        else
        {
            if (MayWrite(position) is { } refused) return refused;
            if (Kind is not null && Kind != ClassificationKind.Emergency) return $"text session {Id} is classified {Kind}; only an emergency is handed to an agency";
        }

        State = TextSessionState.WithAgency;
        Agency = agency;
        Kind ??= ClassificationKind.Emergency;
        LastActivity = at;
        return null;
    }

    /// <summary>Closed by its call-taker (it must be classified first, as a voice call is before it ends with a
    /// call-taker), or by the engine (idle, caller flood, shutdown) with <paramref name="position"/> null.</summary>
    public string? Close(string? position, string reason, DateTimeOffset at)
    {
        if (State == TextSessionState.Closed) return $"text session {Id} is already closed";
        if (position is not null)
        {
            if (State == TextSessionState.WithAgency)
            {
                if (!string.Equals(CallTaker, position, StringComparison.OrdinalIgnoreCase)) return $"text session {Id} was handed over by {CallTaker}, not {position}";
            }
            else
            {
                if (MayWrite(position) is { } refused) return refused;
                if (Kind is null) return $"text session {Id} is not classified; classify it before closing";
                if (Kind == ClassificationKind.Emergency) return $"text session {Id} is an emergency; hand it to {Agency} before closing";
            }
        }

        Outcome = OutcomeNow();
        State = TextSessionState.Closed;
        CloseReason = reason;
        LastActivity = at;
        return null;
    }

    /// <summary>The voice call's outcomes: handed over → Completed; classified → that class; never accepted →
    /// abandoned in the queue; accepted but never classified (the caller stopped writing) → Silent, the class of a
    /// caller who could not be heard, since they may be unable to write.</summary>
    private CallOutcome OutcomeNow() => State switch
    {
        TextSessionState.WithAgency => CallOutcome.Completed,
        TextSessionState.Waiting => CallOutcome.AbandonedInQueue,
        _ => Kind switch
        {
            ClassificationKind.NonEmergency => CallOutcome.NonEmergency,
            ClassificationKind.Prank => CallOutcome.Prank,
            ClassificationKind.Silent => CallOutcome.Silent,
            _ => CallOutcome.Silent,
        },
    };

    public bool IdleSince(DateTimeOffset now, TimeSpan idle) => IsOpen && now - LastActivity >= idle;

    private TextMessage Add(TextDirection direction, string text, DateTimeOffset at, string author)
    {
        var message = new TextMessage(_messages.Count + 1, direction, text, at, author);
        _messages.Add(message);
        LastActivity = at;
        return message;
    }
}
