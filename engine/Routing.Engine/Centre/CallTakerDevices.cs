using Microsoft.Extensions.Logging;
using Routing.Asterisk.Ari;
using Routing.Calls.Centre;

namespace Routing.Engine.Centre;

/// <summary>
/// Tells the centre which call-taker phones can be rung, each time the ARI websocket (re)connects: it
/// subscribes our app to each position's device state (so DeviceStateChanged arrives as phones register
/// and unregister), then reads each endpoint's state (a phone registered before we connected sends no
/// event). Only deviceState sources: an endpoint subscription would also deliver every channel event of
/// the phone's channels a second time (trace turn2 T2b). Subscriptions outlive the websocket (T1), so
/// subscribing again after a reconnect is harmless. Runs beside the dispatcher; results go to the centre
/// as inputs, so a slow Asterisk delays nothing else.
/// </summary>
internal sealed class CallTakerDevices(IAriRestClient ari, AriOptions ariOptions, CentreOptions centre, ILogger<CallTakerDevices> logger)
{
    public async Task RefreshAsync(CentreService service, CancellationToken cancellationToken)
    {
        var endpoints = centre.Positions.Values.Select(p => p.Endpoint).Where(e => e.Contains('/', StringComparison.Ordinal)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (endpoints.Count == 0)
        {
            return;
        }

        try
        {
            await ari.SubscribeAsync(ariOptions.Application, endpoints.Select(e => AriEventSource.DeviceState(e)).ToList(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AriException or AriTimeoutException or AriUnavailableException)
        {
            LogMessages.CallTakerDevicesUnread(logger, $"subscribe: {ex.Message}");
        }

        foreach (var endpoint in endpoints)
        {
            var slash = endpoint.IndexOf('/', StringComparison.Ordinal);
            try
            {
                var state = await ari.GetEndpointAsync(endpoint[..slash], endpoint[(slash + 1)..], cancellationToken).ConfigureAwait(false);
                service.Post(new CentreInput.DeviceState(endpoint, string.Equals(state.State, "online", StringComparison.OrdinalIgnoreCase), $"endpoint {state.State}"));
            }
            catch (AriException ex) when (ex.IsNotFound)
            {
                service.Post(new CentreInput.DeviceState(endpoint, false, "endpoint not found"));
            }
            catch (Exception ex) when (ex is AriException or AriTimeoutException or AriUnavailableException)
            {
                LogMessages.CallTakerDevicesUnread(logger, $"{endpoint}: {ex.Message}");
            }
        }
    }
}
