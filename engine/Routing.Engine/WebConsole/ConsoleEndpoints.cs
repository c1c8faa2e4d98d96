using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Routing.Calls.Centre;
using Routing.Calls.Routing;
using Routing.Engine.SignIn;

namespace Routing.Engine.WebConsole;

/// <summary>
/// The call-taker and supervisor console: static HTML, CSS and JavaScript embedded in the engine and served
/// under <c>/console</c> on the admin port (no separate server, no build step, nothing fetched from
/// elsewhere: the Content-Security-Policy allows this origin only). <c>/console/settings</c> tells the page
/// the few configured facts it needs (agencies, wrap-up, how offers are taken).
/// </summary>
internal static class ConsoleEndpoints
{
    public const string ResourcePrefix = "console/";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder endpoints)
    {
        var files = Load();
        // "/console" and "/console/" are one route; the page names its files by absolute path so both work.
        endpoints.MapGet("/console", (HttpContext context) => Serve(context, files, "index.html"));
        endpoints.MapGet("/console/{file}", (string file, HttpContext context) => Serve(context, files, file));
        endpoints.MapGet("/console/settings", (IOptions<RoutingOptions> routing, SignInOptions signIn, IServiceProvider services) =>
        {
            var centre = services.GetService(typeof(CentreOptions)) as CentreOptions;
            return Results.Json(new
            {
                signIn = signIn.Enabled,
                agencies = routing.Value.Agencies.Keys.Order(StringComparer.Ordinal),
                // Device: answering the phone is the accept. Console: the phone answers by itself and the
                // call-taker accepts here (Centre:OfferMode, or per position Centre:Positions:<id>:OfferMode).
                offerMode = (centre?.OfferMode ?? OfferMode.Device).ToString(),
                offerModes = centre?.Positions.Keys.ToDictionary(p => p, p => centre.OfferModeOf(p).ToString(), StringComparer.OrdinalIgnoreCase),
                offerTimeout = centre?.OfferTimeout.TotalSeconds,
                wrapUp = centre?.WrapUp.TotalSeconds,
                centre = centre is not null,
            });
        });
        return endpoints;
    }

    private static IResult Serve(HttpContext context, IReadOnlyDictionary<string, byte[]> files, string name)
    {
        if (!files.TryGetValue(name, out var content) || !ContentTypes.TryGetValue(Path.GetExtension(name), out var type))
        {
            return Results.NotFound();
        }

        var headers = context.Response.Headers;
        headers["Content-Security-Policy"] = "default-src 'self'; img-src 'self' data:; media-src 'self'; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
        headers["X-Content-Type-Options"] = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        return Results.Bytes(content, type);
    }

    private static Dictionary<string, byte[]> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[resource[ResourcePrefix.Length..]] = copy.ToArray();
        }

        return files;
    }
}
