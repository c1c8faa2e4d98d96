using System.Text.Json;

namespace Routing.Asterisk.Ari;

/// <summary>A Stasis application (applications.json model Application): what it holds, used to reconcile after a reconnect.
/// A subscribeAll app lists pseudo ids such as "__AST_CHANNEL_ALL_TOPIC".</summary>
public sealed record AriApplication(
    string Name,
    IReadOnlyList<string>? ChannelIds = null,
    IReadOnlyList<string>? BridgeIds = null,
    IReadOnlyList<string>? EndpointIds = null,
    IReadOnlyList<string>? DeviceNames = null,
    IReadOnlyList<JsonElement>? EventsAllowed = null,
    IReadOnlyList<JsonElement>? EventsDisallowed = null);
