using Routing.Calls.Location;
using Routing.Calls.Routing;

namespace Routing.Calls;

/// <summary>
/// Where the caller is: every location a source reports is written to the call's record first (ledger event
/// <c>location</c>), then used. Until the call is put through to an agency a trustworthy one chooses the region
/// (<see cref="LocationRegionResolver"/>, event <c>location.region</c> with the rule that decided); after that it
/// is only shown to the call-taker and sent with later legs (<c>location.late</c>): re-routing a caller who is
/// already talking to an agency would cut a conversation that is going on.
/// </summary>
public sealed partial class Call
{
    /// <summary>SIP header on agency legs with the location as an RFC 5870 geo URI (built from numbers only).</summary>
    public const string LocationHeader = "X-Routing112-Location";

    /// <summary>SIP header on agency legs naming where the location came from (sip-pidf, aml, sos-device, call-taker).</summary>
    public const string LocationSourceHeader = "X-Routing112-Location-Source";

    /// <summary>RFC 6442 header with the by-reference URI of the call's PIDF-LO, on legs of trunks that take it.</summary>
    public const string GeolocationHeader = "Geolocation";

    /// <summary>RFC 6442: the agency must not route on the location, only show it.</summary>
    public const string GeolocationRoutingHeader = "Geolocation-Routing";

    private CallLocation? _location;
    private string? _locationRule;
    private bool _putThrough;
    private LocationRegionResolver? _resolver;

    private LocationRegionResolver Resolver => _resolver ??= _deps.Locations ?? RegionAreas.Resolver(_options);

    /// <summary>The configured place of a known SOS button becomes the call's location at arrival.</summary>
    private async Task RecordDeviceLocationAsync()
    {
        if (_classification.DeviceId is not { } id || _options.Devices is null || !_options.Devices.TryGetValue(id, out var device)) return;
        if (device?.Latitude is not { } lat || device.Longitude is not { } lon) return;
        if (!GeoPoint.TryCreate(lat, lon, out var point, out var error))
        {
            await JournalAsync("location.rejected", $"sos-device {id}: {error}");
            return;
        }

        var place = CallerText.CleanText(device.Location, 200);
        var raw = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Routing:Devices:{id} {lat} {lon} ±{device.UncertaintyMeters} m {place}").Trim();
        var location = new CallLocation(LocationSource.SosDevice, _deps.Time.GetUtcNow(), null, point, device.UncertaintyMeters,
            place.Length > 0 ? place : null, "Configured", raw);
        await OnLocationAsync(location, routingAllowed: true);
    }

    private async Task OnLocationAsync(CallLocation location, bool routingAllowed)
    {
        await JournalAsync("location", LocationRecordText.Detail(location));
        _location = location;
        if (_putThrough || _state == CallState.Ended)
        {
            await JournalAsync("location.late", $"{LocationRecordText.SourceName(location.Source)}: not re-routed, the call was already put through (region {_region}); shown to the call-taker and sent with later legs");
            Publish();
            return;
        }

        var decision = Resolver.Resolve(location, _deps.Time.GetUtcNow(), routingAllowed);
        if (decision.Region is { } region && _options.Regions.ContainsKey(region) && !string.Equals(region, _region, StringComparison.OrdinalIgnoreCase))
        {
            await JournalAsync("location.region", $"{_region} -> {region}: {decision.Rule}");
            _region = region;
        }
        else
        {
            await JournalAsync("location.region", $"{_region} kept: {decision.Rule}");
        }

        _locationRule = decision.Rule;
        Publish();
    }

    private Task OnLocationRejectedAsync(LocationSource source, string reason) =>
        JournalAsync("location.rejected", $"{LocationRecordText.SourceName(source)}: {CallerText.CleanText(reason, 400)}; routed by number (region {_region})");

    /// <summary>The location for an agency leg: a header the agency's PBX can show or parse, and the source.</summary>
    private void AddLocationVariables(Dictionary<string, string> variables)
    {
        if (_location is not { } location) return;
        if (location.Point is { } point)
        {
            variables[$"PJSIP_HEADER(add,{LocationHeader})"] = $"<{point.GeoUri(location.UncertaintyMeters)}>";
            variables[$"PJSIP_HEADER(add,{LocationSourceHeader})"] = LocationRecordText.SourceName(location.Source);
        }

        variables["ROUTING112_GEO"] = location.Point is { } p ? p.GeoUri(location.UncertaintyMeters) : "";
    }

    /// <summary>A leg to a trunk that takes PIDF-LO gets a reference to the call's location, served by the engine while
    /// the call lives, rather than a body ARI cannot send. Added whether or not a location is known yet: one that
    /// arrives later (a late AML) is what the agency then fetches. The reference is on the record before the dial.</summary>
    private async Task AddLocationReferenceAsync(RouteStep step, string legId, Dictionary<string, string> variables)
    {
        if (!step.Trunk.TakesPidfLo) return;
        if (_deps.LocationReferences is not { } references)
        {
            await JournalAsync("location.reference", $"{step.Trunk.Name} takes PIDF-LO but the engine serves no location references (LocationReference:BaseUrl); the leg carries the geo URI header only", legId);
            return;
        }

        var reference = references.ReferenceFor(this);
        await JournalAsync("location.reference", $"{step.Trunk.Name}: Geolocation by reference #{reference.Fingerprint}, Geolocation-Routing: no; {(_location is null ? "no location known yet" : "serves " + LocationRecordText.Shape(_location))}", legId);
        variables[$"PJSIP_HEADER(add,{GeolocationHeader})"] = $"<{reference.Uri}>";
        variables[$"PJSIP_HEADER(add,{GeolocationRoutingHeader})"] = "no";
    }
}
