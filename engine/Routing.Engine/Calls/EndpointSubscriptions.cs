using System.Net;
using Microsoft.Extensions.Logging;
using Routing.Asterisk.Ari;

namespace Routing.Engine.Calls;

/// <summary>
/// Drops our Stasis app's endpoint subscriptions at a clean stop. The engine subscribes the text endpoints
/// (<c>endpoint:PJSIP/app-messages</c> …, <see cref="Text.TextGateways"/>) so that TextMessageReceived reaches it; such
/// a subscription is a forward of the app (res/stasis/app.c), which outlives the websocket. Asterisk destroys an app
/// only in its cleanup, which runs when the app unregisters (the websocket closing, res/ari/ari_websockets.c →
/// stasis_app_unregister → cleanup()) and finds it without a websocket AND without forwards (app_is_finished); an
/// unsubscribe alone does not run it. So they are dropped while the websocket is still open: its close then destroys
/// the app, instead of Asterisk listing it, inactive, until the next engine. Subscriptions are counted (every POST adds
/// interest, every DELETE takes one), and a crashed run may have left more than ours: each endpoint is unsubscribed
/// until Asterisk no longer lists it, at most <see cref="MaxRequestsPerEndpoint"/> times. Bounded in time as a whole
/// (<see cref="Limit"/>), and it only runs beside the calls' own hand-overs, never before them; a failure is logged
/// (1601) and stops nothing — the next engine's subscriptions reuse what is left.
/// </summary>
internal sealed class EndpointSubscriptions(IAriRestClient ari, AriOptions ariOptions, TimeProvider time, ILogger<EndpointSubscriptions> logger)
{
    /// <summary>How long a stop may spend on it in all: Asterisk answers these at once when it answers at all.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(2);

    public const int MaxRequestsPerEndpoint = 8;

    /// <summary>The id Asterisk lists for a subscribeAll app's all-endpoints topic: unregistering drops that one itself.</summary>
    private const string AllEndpointsTopic = "__AST_ENDPOINT_ALL_TOPIC";

    public async Task DropAsync(CancellationToken stopping)
    {
        using var bound = new CancellationTokenSource(Limit, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, bound.Token);
        var left = new List<string>();
        try
        {
            AriApplication application;
            try
            {
                application = await ari.GetApplicationAsync(ariOptions.Application, linked.Token).ConfigureAwait(false);
            }
            catch (AriException ex) when (ex.IsNotFound)
            {
                return;
            }

            left.AddRange((application.EndpointIds ?? []).Where(e => e != AllEndpointsTopic).Distinct(StringComparer.Ordinal));
            if (left.Count == 0)
            {
                return;
            }

            var dropped = new List<string>();
            foreach (var endpoint in left.ToList())
            {
                if (await DropOneAsync(endpoint, linked.Token).ConfigureAwait(false))
                {
                    dropped.Add(endpoint);
                    left.Remove(endpoint);
                }
            }

            if (left.Count > 0)
            {
                LogMessages.EndpointSubscriptionsKept(logger, string.Join(", ", left), $"still subscribed after {MaxRequestsPerEndpoint} unsubscribe requests each");
            }

            if (dropped.Count > 0)
            {
                LogMessages.EndpointSubscriptionsDropped(logger, string.Join(", ", dropped));
            }
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            var why = bound.IsCancellationRequested ? $"Asterisk did not answer within {Limit}" : "the stop was cut short";
            LogMessages.EndpointSubscriptionsKept(logger, left.Count == 0 ? "(not read)" : string.Join(", ", left), why);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Whatever went wrong, a stop goes on: the engine's exit must not say a clean stop failed over this.
            LogMessages.EndpointSubscriptionsKept(logger, left.Count == 0 ? "(not read)" : string.Join(", ", left), ex.Message);
        }
    }

    /// <summary>True once Asterisk no longer lists the endpoint (or says it was not subscribed: 422).</summary>
    private async Task<bool> DropOneAsync(string endpoint, CancellationToken cancellationToken)
    {
        for (var request = 0; request < MaxRequestsPerEndpoint; request++)
        {
            AriApplication after;
            try
            {
                after = await ari.UnsubscribeAsync(ariOptions.Application, ["endpoint:" + endpoint], cancellationToken).ConfigureAwait(false);
            }
            catch (AriException ex) when (ex.StatusCode == HttpStatusCode.UnprocessableEntity || ex.IsNotFound)
            {
                // Not subscribed (any more), or the app itself is gone: nothing of it is left.
                return true;
            }

            if (!(after.EndpointIds ?? []).Contains(endpoint, StringComparer.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
