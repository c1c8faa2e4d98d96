namespace Routing.Simulator.Model;

/// <summary>An endpoint as ARI shows it (technology is always PJSIP here): a snapshot taken under the PBX lock.</summary>
internal sealed record EndpointView(string Resource, string State, IReadOnlyList<string> ChannelIds);
