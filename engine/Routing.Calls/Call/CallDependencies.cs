using Microsoft.Extensions.Logging;
using Routing.Calls.Ports;
using Routing.Calls.Routing;

namespace Routing.Calls;

/// <summary>Everything a <see cref="Call"/> talks to. <paramref name="Options"/> should already have
/// passed <see cref="RoutingOptionsValidator"/>; the call still never throws on a bad one.</summary>
public sealed record CallDependencies(
    ITelephony Telephony,
    ICallJournal Journal,
    ICallObserver Observer,
    RoutingOptions Options,
    TimeProvider Time,
    ILogger? Logger = null,
    ICallCentre? Centre = null,
    Location.LocationRegionResolver? Locations = null,
    ILocationReferences? LocationReferences = null);
