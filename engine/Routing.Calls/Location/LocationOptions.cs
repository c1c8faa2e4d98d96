namespace Routing.Calls.Location;

/// <summary>How much the engine trusts a location, bound from <c>Routing:Location</c>.</summary>
public sealed class LocationOptions
{
    /// <summary>A fix less precise than this does not choose the region (it is still shown and recorded).</summary>
    public double RoutingMaxUncertaintyMeters { get; set; } = 1000;

    /// <summary>A fix older than this does not choose the region.</summary>
    public TimeSpan RoutingMaxAge { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>An AML fix older than this when it arrives is recorded as stale and matched to no call.</summary>
    public TimeSpan AmlMaxAge { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long before its call an AML message may arrive (the SMS can overtake the call).</summary>
    public TimeSpan AmlEarlyTolerance { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long after its call ended an AML message still belongs to it (a callback needs it).</summary>
    public TimeSpan AmlLateTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether a PIDF-LO from the network may choose the region; false keeps it on the card only.
    /// RFC 6442's <c>Geolocation-Routing: no</c> from the sender always wins over this.</summary>
    public bool RouteBySipLocation { get; set; } = true;
}
