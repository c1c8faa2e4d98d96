using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Routing.Asterisk.Ari;
using Routing.Calls;
using Routing.Calls.Ports;
using Routing.Calls.Routing;

namespace Routing.Engine.Calls;

/// <summary>Builds a <see cref="Call"/> from the StasisStart that brought its caller into our app.</summary>
internal sealed class CallFactory(
    ITelephony telephony,
    ICallJournal journal,
    ICallObserver observer,
    IOptions<RoutingOptions> options,
    TimeProvider time,
    ILoggerFactory loggerFactory,
    Operators.CallCardPublisher cards,
    ICallCentre? centre = null,
    global::Routing.Calls.Location.LocationRegionResolver? locations = null,
    Location.LocationIntake? locationIntake = null,
    Location.SipLocationReader? sipLocations = null,
    Location.LocationIntakeOptions? locationOptions = null,
    ILocationReferences? locationReferences = null)
{
    private readonly ILogger callLogger = loggerFactory.CreateLogger<Call>();

    public Call Create(StasisStart start)
    {
        var channel = start.Channel;
        var arrival = new CallArrival(
            CallerChannelId: channel.Id,
            CallerNumber: channel.Caller?.Number ?? "",
            CallerName: channel.Caller?.Name ?? "",
            DialedNumber: channel.Dialplan?.Exten ?? "",
            StasisArgs: start.Args,
            ChannelLanguage: channel.Language ?? "",
            At: time.GetUtcNow());
        var call = new Call(arrival, new CallDependencies(telephony, journal, observer, options.Value, time, callLogger, centre, locations, locationReferences));
        call.Published += cards.Publish;
        return call;
    }

    /// <summary>Once the call runs: it may receive locations (AML, the SBC's PIDF-LO) and its SIP headers are read
    /// beside it, never in its way (the read is bounded and what it finds is posted to the call).</summary>
    public void Started(Call call, StasisStart start)
    {
        locationIntake?.Track(call);
        if (sipLocations is null || locationOptions is not { ReadSipHeaders: true }) return;
        var bound = locationOptions.FetchTimeout * 2 + TimeSpan.FromSeconds(5);
        _ = Task.Run(async () =>
        {
            using var cts = new CancellationTokenSource(bound, time);
            try
            {
                await sipLocations.ReadAsync(call, start.Channel.Name, cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                call.Post(new CallInput.LocationRejected(global::Routing.Calls.Location.LocationSource.SipPidfLo, $"Geolocation not read within {bound}"));
            }
        });
    }
}
