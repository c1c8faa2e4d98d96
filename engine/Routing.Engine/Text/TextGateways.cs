using Microsoft.Extensions.Logging;
using Routing.Asterisk.Ari;

namespace Routing.Engine.Text;

/// <summary>
/// Subscribes the app to the text gateways' (and agency text desks') endpoints each time the ARI websocket
/// (re)connects: Asterisk sends TextMessageReceived only for endpoints the app subscribed to; without it a
/// MESSAGE runs the dialplan's <c>message_context</c> and nothing else (turn2/ari-sip-message, message #1).
/// Endpoint subscriptions outlive the websocket and are counted (each POST adds interest, T1/T2b), so the
/// app's current endpoint_ids are read first and only the missing ones are added: reconnects do not pile up
/// interest. A failure is logged per endpoint; the next connect tries again.
/// </summary>
internal sealed class TextGateways(IAriRestClient ari, AriOptions ariOptions, ILogger<TextGateways> logger)
{
    public async Task SubscribeAsync(IReadOnlyList<string> endpoints, CancellationToken cancellationToken)
    {
        if (endpoints.Count == 0) return;
        try
        {
            IReadOnlyList<string> have = [];
            try
            {
                have = (await ari.GetApplicationAsync(ariOptions.Application, cancellationToken).ConfigureAwait(false)).EndpointIds ?? [];
            }
            catch (AriException ex) when (ex.IsNotFound)
            {
                // Not registered yet on this Asterisk: subscribe everything.
            }

            // One request per endpoint: Asterisk stops a list at its first unknown endpoint (422), and one agency
            // desk missing from pjsip.conf must not leave the app gateway's callers unheard.
            var failed = 0;
            foreach (var endpoint in endpoints.Where(e => !have.Contains(e, StringComparer.OrdinalIgnoreCase)))
            {
                try
                {
                    await ari.SubscribeAsync(ariOptions.Application, ["endpoint:" + endpoint], cancellationToken).ConfigureAwait(false);
                }
                catch (AriException ex)
                {
                    failed++;
                    LogMessages.TextSubscribeFailed(logger, endpoint, ex.Message);
                }
            }

            if (failed == 0) LogMessages.TextSubscribed(logger, string.Join(", ", endpoints));
        }
        catch (Exception ex) when (ex is AriException or AriTimeoutException or AriUnavailableException)
        {
            LogMessages.TextSubscribeFailed(logger, string.Join(", ", endpoints), ex.Message);
        }
    }
}
