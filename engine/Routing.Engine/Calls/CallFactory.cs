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
    ICallCentre? centre = null)
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
        var call = new Call(arrival, new CallDependencies(telephony, journal, observer, options.Value, time, callLogger, centre));
        call.Published += cards.Publish;
        return call;
    }
}
