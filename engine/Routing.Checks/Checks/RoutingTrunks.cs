using Routing.Calls.Routing;

namespace Routing.Checks.Checks;

/// <summary>Every trunk the engine may dial, with its configuration key.</summary>
internal static class RoutingTrunks
{
    public const string PjsipPrefix = "PJSIP/";

    public static IEnumerable<(string Key, TrunkOptions Trunk)> All(RoutingOptions o) => ConfiguredTrunks.All(o);

    /// <summary>The PJSIP endpoint name of a dial string (<c>PJSIP/fire-almaty-1</c> → <c>fire-almaty-1</c>,
    /// <c>PJSIP/x/sip:...</c> → <c>x</c>); null for other technologies.</summary>
    public static string? PjsipEndpoint(string? dialString)
    {
        if (dialString is null || !dialString.StartsWith(PjsipPrefix, StringComparison.OrdinalIgnoreCase)) return null;
        var resource = dialString[PjsipPrefix.Length..];
        var slash = resource.IndexOf('/');
        return (slash >= 0 ? resource[..slash] : resource).Trim();
    }
}
