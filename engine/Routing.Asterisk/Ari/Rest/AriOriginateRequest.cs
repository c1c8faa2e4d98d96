namespace Routing.Asterisk.Ari;

/// <summary>
/// POST /channels: dial <see cref="Endpoint"/> (e.g. "PJSIP/fire") into Stasis app <see cref="App"/>.
/// <see cref="ChannelId"/> is chosen by us so that the ledger row exists before the request and a retry is idempotent.
/// </summary>
public sealed record AriOriginateRequest(string Endpoint, string App, string ChannelId)
{
    /// <summary>Passed to StasisStart.args; joined with ',' on the wire, so an argument must not contain a comma.</summary>
    public IReadOnlyList<string> AppArgs { get; init; } = [];

    /// <summary>e.g. "\"112 Leitstelle\" &lt;112&gt;".</summary>
    public string? CallerId { get; init; }

    /// <summary>Seconds to wait for an answer (Asterisk default 30).</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>Id for the second (;2) channel of a Local channel.</summary>
    public string? OtherChannelId { get; init; }

    /// <summary>Channel of the originator, for linkedid and codec choice.</summary>
    public string? Originator { get; init; }

    /// <summary>Channel variables set before dialling, sent as the JSON body {"variables":{...}}.</summary>
    public IReadOnlyDictionary<string, string>? Variables { get; init; }
}
