using Microsoft.Extensions.Logging;
using Routing.Asterisk.Ari;
using Routing.Calls;
using Routing.Calls.Location;
using Routing.Calls.Ports;
using Routing.Calls.Routing;

namespace Routing.Engine.Location;

/// <summary>
/// The caller's RFC 6442 headers, read the one way that cannot crash Asterisk 23.4.1: <c>PJSIP_HEADER(read,…)</c>
/// over ARI returns the header's text and parses nothing (res_pjsip_header_funcs.c), while res_geolocation's
/// <c>GEOLOC_PROFILE</c> segfaults on the first read of a malformed PIDF-LO (turn2 asterisk-crash-geolocation.txt)
/// and stays noloaded (dialplans/modules.conf). A by-reference <c>https:</c> URI is fetched here (allow-listed,
/// bounded); a by-value <c>cid:</c> body never reaches ARI, so the SBC hands it to <c>POST /location/pidf</c>.
/// Runs beside the call, never in its way: what it finds is posted to the call, which records it first.
/// </summary>
internal sealed class SipLocationReader(IAriRestClient ari, PidfFetcher fetcher, TimeProvider time, ILogger<SipLocationReader> log)
{
    public const string GeolocationVariable = "PJSIP_HEADER(read,Geolocation)";
    public const string RoutingVariable = "PJSIP_HEADER(read,Geolocation-Routing)";

    public async Task ReadAsync(Call call, string channelName, CancellationToken cancellationToken)
    {
        if (!channelName.StartsWith("PJSIP/", StringComparison.OrdinalIgnoreCase)) return;
        string? geolocation;
        string? routingHeader;
        try
        {
            geolocation = await ReadHeaderAsync(call.CallerChannelId, GeolocationVariable, cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrWhiteSpace(geolocation)) return;
            routingHeader = await ReadHeaderAsync(call.CallerChannelId, RoutingVariable, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AriException or HttpRequestException or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogMessages.SipLocationReadFailed(log, call.CallerChannelId, ex.Message);
            return;
        }

        var routingAllowed = !string.Equals(routingHeader?.Trim(), "no", StringComparison.OrdinalIgnoreCase);
        var uris = SipMultipartBody.GeolocationUris(geolocation);
        if (uris.Count == 0)
        {
            call.Post(new CallInput.LocationRejected(LocationSource.SipPidfLo, $"Geolocation header '{CallerText.CleanText(geolocation, 120)}' holds no <URI>"));
            return;
        }

        foreach (var uri in uris.Take(2))
        {
            if (uri.StartsWith("cid:", StringComparison.OrdinalIgnoreCase))
            {
                call.Post(new CallInput.LocationNote($"Geolocation <{CallerText.CleanText(uri, 120)}>: PIDF-LO by value; Asterisk does not parse it (res_geolocation noloaded), the SBC hands the body to POST /location/pidf{(routingAllowed ? "" : "; Geolocation-Routing: no")}"));
                continue;
            }

            var (document, error) = await fetcher.FetchAsync(uri, cancellationToken).ConfigureAwait(false);
            if (document is null)
            {
                call.Post(new CallInput.LocationRejected(LocationSource.SipPidfLo, $"Geolocation <{CallerText.CleanText(uri, 120)}> not fetched: {error}"));
                continue;
            }

            var reading = PidfLoParser.Parse(document, time.GetUtcNow());
            call.Post(reading.Location is { } location
                ? new CallInput.LocationReported(location, routingAllowed)
                : new CallInput.LocationRejected(LocationSource.SipPidfLo, reading.Error!));
        }
    }

    /// <summary>Asterisk answers 500 "Unable to read provided function" for a header the INVITE lacks.</summary>
    private async Task<string?> ReadHeaderAsync(string channelId, string variable, CancellationToken cancellationToken)
    {
        try
        {
            return await ari.GetVariableAsync(channelId, variable, cancellationToken).ConfigureAwait(false);
        }
        catch (AriException ex) when ((int?)ex.StatusCode == 500)
        {
            return null;
        }
    }
}
