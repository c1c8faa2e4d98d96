using System.Text.Json.Serialization;

namespace Routing.Asterisk.Ari;

/// <summary>A bridge (bridges.json model Bridge). Technology changes over its life
/// (simple_bridge when created, native_rtp once two same-codec channels are in it).</summary>
public sealed record AriBridge(
    string Id,
    string Technology = "",
    string BridgeType = "",
    string BridgeClass = "",
    string Creator = "",
    string Name = "",
    IReadOnlyList<string>? Channels = null,
    [property: JsonPropertyName("creationtime")] DateTimeOffset? CreationTime = null,
    string? VideoMode = null,
    string? VideoSourceId = null)
{
    public IReadOnlyList<string> ChannelIds => Channels ?? [];
}
