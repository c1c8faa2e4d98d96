using System.Text.Json;

namespace Routing.Asterisk.Ari;

/// <summary>Base of every Asterisk ARI event (events.json models Message and Event).</summary>
public abstract record AriEvent : AriMessage
{
    /// <summary>Defaults to the record's name, which is the ARI type name; parsing sets it from the frame.</summary>
    protected AriEvent() => Type = GetType().Name;

    public string Type { get; init; }
    public DateTimeOffset Timestamp { get; init; }
    public string? Application { get; init; }
    public string? AsteriskId { get; init; }
}

/// <summary>An event type this client has no record for. Kept whole, never dropped.</summary>
public sealed record UnknownAriEvent(JsonElement Raw) : AriEvent;
