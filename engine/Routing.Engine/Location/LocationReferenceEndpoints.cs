using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;
using Routing.Calls.Location;
using Routing.Calls.Ports;
using Routing.Calls.Routing;

namespace Routing.Engine.Location;

/// <summary>
/// <c>GET /location/ref/{token}</c>: the agency's fetch of a call's location by reference (RFC 6442). The token is
/// the only credential, so every fetch is written to the ledger before it is answered — on the call's record with
/// who fetched and what was served or why not (<c>location.dereference</c>); a token that stands for no call on the
/// record <see cref="UnknownTokenRecord"/> (<c>location.dereference.refused</c>), capped per minute. A spent, unknown
/// or malformed token is 404 with no word on which it was; the document is never cached.
/// </summary>
internal static class LocationReferenceEndpoints
{
    /// <summary>The ledger record fetches with unknown tokens go on: they belong to no call.</summary>
    public const string UnknownTokenRecord = "location-reference";

    public const string DereferenceKind = "location.dereference";
    public const string RefusedKind = "location.dereference.refused";

    private static readonly Counter Fetches = Prometheus.Metrics.CreateCounter(
        "routing_location_dereferences_total", "Fetches of calls' locations by reference, by result (served, no_location, spent, unknown).", "result");

    public static void MapLocationReferences(this IEndpointRouteBuilder app) =>
        app.MapGet("/location/ref/{token}", (HttpContext context, string token, CancellationToken cancellationToken) => FetchAsync(context, token, cancellationToken));

    private static async Task<IResult> FetchAsync(HttpContext context, string token, CancellationToken cancellationToken)
    {
        var services = context.RequestServices;
        if (services.GetService<LocationReferences>() is not { } references) return Results.NotFound();
        var options = services.GetRequiredService<LocationReferenceOptions>();
        var journal = services.GetRequiredService<ICallJournal>();
        var time = services.GetRequiredService<TimeProvider>();
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(LocationReferenceEndpoints).FullName!);
        var probes = services.GetRequiredService<UnknownReferenceProbes>();
        var who = Who(context);
        context.Response.Headers.CacheControl = "no-store";

        var found = references.Find(token);
        switch (found.State)
        {
            case ReferenceState.Unknown:
                Fetches.WithLabels("unknown").Inc();
                LogMessages.LocationReferenceUnknown(log, who);
                if (probes.TryRecord(time.GetUtcNow(), out var firstOver))
                {
                    await journal.AppendAsync(new CallEventRecord(UnknownTokenRecord, null, time.GetUtcNow(), RefusedKind,
                        $"404 unknown token {LocationReferences.Describe(token)} fetched by {who}"), cancellationToken).ConfigureAwait(false);
                }
                else if (firstOver)
                {
                    LogMessages.LocationReferenceProbesCapped(log, UnknownReferenceProbes.PerMinute);
                }

                return Results.NotFound();
            case ReferenceState.Spent:
                Fetches.WithLabels("spent").Inc();
                await RecordAsync(journal, time, found, who, $"404 refused: the call ended at {found.EndedAt:O}, more than LocationReference:Grace {options.Grace} ago", cancellationToken).ConfigureAwait(false);
                LogMessages.LocationDereferenced(log, found.CallId!, found.Fingerprint!, who, "spent (404)");
                return Results.NotFound();
        }

        if (found.Location is not { } location)
        {
            Fetches.WithLabels("no_location").Inc();
            await RecordAsync(journal, time, found, who, "404 no location known for the call yet", cancellationToken).ConfigureAwait(false);
            LogMessages.LocationDereferenced(log, found.CallId!, found.Fingerprint!, who, "no location yet (404)");
            return Results.NotFound();
        }

        var host = Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var baseUri) ? baseUri.Host : "routing112.invalid";
        var document = PidfLoWriter.Write(location, $"pres:112-{found.CallId}@{host}");
        // Write before act: the fetch is on the call's record before the location leaves the engine.
        await RecordAsync(journal, time, found, who, $"200 served {LocationRecordText.SourceName(location.Source)} {LocationRecordText.Shape(location)}"
            + (string.IsNullOrEmpty(location.CivicAddress) ? "" : " with civic address"), cancellationToken).ConfigureAwait(false);
        Fetches.WithLabels("served").Inc();
        LogMessages.LocationDereferenced(log, found.CallId!, found.Fingerprint!, who, "served");
        return Results.Text(document, PidfLoWriter.ContentType, System.Text.Encoding.UTF8);
    }

    private static ValueTask RecordAsync(ICallJournal journal, TimeProvider time, ReferenceLookup found, string who, string what, CancellationToken cancellationToken) =>
        journal.AppendAsync(new CallEventRecord(found.CallId!, null, time.GetUtcNow(), DereferenceKind, $"#{found.Fingerprint} {what}; fetched by {who}"), cancellationToken);

    /// <summary>Who fetched: the peer address (the proxy's client when <c>SignIn:BehindProxy</c>) and its user agent, cleaned.</summary>
    private static string Who(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown address";
        var agent = CallerText.CleanText(context.Request.Headers.UserAgent.ToString(), 80);
        return agent.Length > 0 ? $"{address} ({agent})" : address;
    }
}

/// <summary>How many fetches with unknown tokens are written to the ledger per minute: a guesser must not be able
/// to fill the record (every one is still counted and logged).</summary>
internal sealed class UnknownReferenceProbes
{
    public const int PerMinute = 60;

    private readonly object _gate = new();
    private DateTimeOffset _window;
    private int _count;

    /// <param name="firstOver">True on the first refusal of a minute (to log the cap once).</param>
    public bool TryRecord(DateTimeOffset now, out bool firstOver)
    {
        lock (_gate)
        {
            if (now - _window >= TimeSpan.FromMinutes(1))
            {
                _window = now;
                _count = 0;
            }

            _count++;
            firstOver = _count == PerMinute + 1;
            return _count <= PerMinute;
        }
    }
}
