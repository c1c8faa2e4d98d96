using System.Net;
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
/// An Asterisk without res_stasis_device_state refuses the subscription (400 "Invalid event source URI
/// scheme", res/ari/resource_applications.c): no event would then ever say that a phone went away or came
/// back, so the endpoints are read again every <see cref="CentreOptions.DevicePollInterval"/> until the
/// engine stops. The centre ignores a read that changes nothing, so polling writes nothing while phones stay put.
/// </summary>
internal sealed class CallTakerDevices(IAriRestClient ari, AriOptions ariOptions, CentreOptions centre, TimeProvider time, ILogger<CallTakerDevices> logger) : IDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private int polling;

    /// <summary>True once Asterisk refused the deviceState subscription and the endpoints are being polled.</summary>
    public bool Polling => Volatile.Read(ref polling) == 1;

    public async Task RefreshAsync(CentreService service, CancellationToken cancellationToken)
    {
        var endpoints = Endpoints();
        if (endpoints.Count == 0)
        {
            return;
        }

        try
        {
            await ari.SubscribeAsync(ariOptions.Application, endpoints.Select(e => AriEventSource.DeviceState(e)).ToList(), cancellationToken).ConfigureAwait(false);
        }
        catch (AriException ex) when (ex.StatusCode == HttpStatusCode.BadRequest && ex.AsteriskMessage.Contains("scheme", StringComparison.OrdinalIgnoreCase))
        {
            StartPolling(service, endpoints, ex.AsteriskMessage);
        }
        catch (Exception ex) when (ex is AriException or AriTimeoutException or AriUnavailableException)
        {
            LogMessages.CallTakerDevicesUnread(logger, $"subscribe: {ex.Message}");
        }

        await ReadAsync(service, endpoints, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        stopping.Cancel();
        stopping.Dispose();
    }

    private List<string> Endpoints() =>
        centre.Positions.Values.Select(p => p.Endpoint).Where(e => e.Contains('/', StringComparison.Ordinal)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    private void StartPolling(CentreService service, List<string> endpoints, string refusal)
    {
        if (centre.DevicePollInterval <= TimeSpan.Zero)
        {
            LogMessages.CallTakerDevicesNotWatched(logger, refusal, "Centre:DevicePollInterval is 0: phones are read only when the engine connects");
            return;
        }

        if (Interlocked.Exchange(ref polling, 1) == 1)
        {
            return; // a reconnect refused again: the loop already runs
        }

        LogMessages.CallTakerDevicesNotWatched(logger, refusal, $"reading {endpoints.Count} position endpoint(s) every {centre.DevicePollInterval} instead (load res_stasis_device_state.so)");
        _ = PollAsync(service, endpoints, stopping.Token);
    }

    private async Task PollAsync(CentreService service, List<string> endpoints, CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(centre.DevicePollInterval, time);
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await ReadAsync(service, endpoints, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // the engine is stopping
        }
        catch (ObjectDisposedException)
        {
            // disposed between ticks
        }
    }

    private async Task ReadAsync(CentreService service, List<string> endpoints, CancellationToken cancellationToken)
    {
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
