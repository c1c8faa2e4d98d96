namespace Routing.Calls.Routing;

/// <summary>Why a trunk is in a plan: the caller's own region, a region further along the
/// overflow chain, the national fallback, or a human 112 call-taker.</summary>
public enum RouteStage
{
    Primary,
    Overflow,
    NationalFallback,
    Operator,
}

/// <summary>One trunk to try, in order, for one agency. <paramref name="Region"/> is the region
/// whose trunk this is (the national fallback and operators carry the caller's region).</summary>
public sealed record RouteStep(string Agency, string Region, TrunkOptions Trunk, RouteStage Stage);
