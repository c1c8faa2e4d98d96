using Microsoft.Extensions.Logging;
using Routing.Asterisk.Ari;

namespace Routing.Engine.Text;

/// <summary>
/// Subscribes the app to the text gateways' (and agency text desks') endpoints each time the ARI websocket
/// (re)connects: Asterisk sends TextMessageReceived only for endpoints the app subscribed to; without it a
/// MESSAGE runs the dialplan's <c>message_context</c> and nothing else (turn2/ari-sip-message, message #1).
/// Endpoint subscriptions outlive the websocket and are counted (each POST adds interest, T1/T2b), so the
/// app's current endpoint_ids are read first and only the missing ones are added: reconnects do not pile up
/// interest. A failure is logged; the next connect tries again.
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

            var missing = endpoints.Where(e => !have.Contains(e, StringComparer.OrdinalIgnoreCase)).ToList();
            if (missing.Count > 0)
            {
                await ari.SubscribeAsync(ariOptions.Application, missing.Select(e => "endpoint:" + e).ToList(), cancellationToken).ConfigureAwait(false);
            }

            LogMessages.TextSubscribed(logger, string.Join(", ", endpoints));
        }
        catch (Exception ex) when (ex is AriException or AriTimeoutException or AriUnavailableException)
        {
            LogMessages.TextSubscribeFailed(logger, string.Join(", ", endpoints), ex.Message);
        }
    }
}
