using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Routing.Simulator.Core;

namespace Routing.Simulator.Ari;

/// <summary>ARI over Kestrel on 127.0.0.1: authentication, REST dispatch, the events websocket, and the request log.</summary>
internal sealed class AriServer : IAsyncDisposable
{
    private const int MaxBodyBytes = 1 << 20;
    private readonly WebApplication _app;
    private readonly Pbx _pbx;
    private readonly SimulatorOptions _options;
    private readonly AriRoutes _routes;
    private readonly RestOverWebSocket _restOverWebSocket;

    private AriServer(WebApplication app, Pbx pbx, SimulatorOptions options)
    {
        _app = app;
        _pbx = pbx;
        _options = options;
        _routes = new AriRoutes(pbx);
        Log = new RequestLog(options.MaxRecordedRequests);
        _restOverWebSocket = new RestOverWebSocket(_routes, Log);
    }

    public RequestLog Log { get; }

    private long _restDelayTicks;

    /// <summary>How long every ARI REST request over HTTP waits before it is handled: an Asterisk that has
    /// fallen behind (tests of the engine's overload shedding). Zero by default; may change at any time.</summary>
    public TimeSpan RestDelay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _restDelayTicks));
        set => Interlocked.Exchange(ref _restDelayTicks, Math.Max(0, value.Ticks));
    }

    public RequestStalls Stalls { get; } = new();
    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<AriServer> StartAsync(Pbx pbx, SimulatorOptions options, CancellationToken ct)
    {
        // An empty builder: no appsettings.json, environment variables or Kestrel config section of the hosting
        // process (the engine's own host, a test's bin folder) can add endpoints or logging to the simulator.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, options.AriPort);
        });
        var app = builder.Build();
        var server = new AriServer(app, pbx, options);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.Run(server.HandleAsync);
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(new Uri(address), "/ari/");
        return server;
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        var request = ctx.Request;
        ctx.Response.Headers["Server"] = "Asterisk/23.4.1";
        ctx.Response.Headers.CacheControl = "no-cache, no-store";
        string path = request.Path.Value ?? "/";
        string query = MaskApiKey(request.QueryString.Value);
        string? body = null;
        AriResponse response;

        if (!path.StartsWith("/ari/", StringComparison.Ordinal))
        {
            response = AriResponse.ResourceNotFound;
        }
        else if (!Authenticated(request))
        {
            ctx.Response.Headers.WWWAuthenticate = "Basic realm=\"Asterisk REST Interface\"";
            response = AriResponse.Error(401, "Authentication required");
        }
        else
        {
            string[] segments = path["/ari/".Length..].Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (segments is ["events"])
            {
                await HandleEventsAsync(ctx, path, query);
                return;
            }
            (body, var parsed, var bodyError) = await ReadBodyAsync(request, ctx.RequestAborted);
            if (RestDelay is { Ticks: > 0 } delay) await Task.Delay(delay, _options.Time, ctx.RequestAborted);

            if (bodyError is null && Stalls.TryTake(request.Method, segments))
            {
                // Not performed, never answered: logged with status 0 once the client has given up.
                var stalled = new RecordedRequest(request.Method, path, query, body, 0);
                await Stalls.HoldAsync(stalled, ctx.RequestAborted);
                Log.Record(stalled);
                return;
            }
            response = bodyError ?? _routes.Dispatch(new AriRequest(request.Method, segments, request.Query, parsed));
        }

        Log.Record(new RecordedRequest(request.Method, path, query, body, response.Status));
        await WriteAsync(ctx, response);
    }

    private async Task HandleEventsAsync(HttpContext ctx, string path, string query)
    {
        var apps = ctx.Request.Query["app"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct().ToArray();
        if (apps.Length == 0 || !ctx.WebSockets.IsWebSocketRequest)
        {
            // Asterisk answers a handshake without app with a small HTML page (trace: 400 text/html).
            Log.Record(new RecordedRequest("GET", path, query, null, 400));
            ctx.Response.StatusCode = 400;
            ctx.Response.ContentType = "text/html";
            string why = apps.Length == 0 ? "Missing or empty app parameter" : "Not a websocket upgrade";
            await ctx.Response.WriteAsync($"<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\r\n<html><head>\r\n<title>400 Bad Request</title>\r\n</head><body>\r\n<h1>Bad Request</h1>\r\n<p>{why}</p>\r\n<hr />\r\n</body></html>\r\n", ctx.RequestAborted);
            return;
        }
        string subscribeAllParam = ctx.Request.Query["subscribeAll"].ToString();
        bool subscribeAll = subscribeAllParam.Equals("true", StringComparison.OrdinalIgnoreCase) || subscribeAllParam is "1" or "yes";
        using var webSocket = await ctx.WebSockets.AcceptWebSocketAsync();
        Log.Record(new RecordedRequest("GET", path, query, null, 101));
        var socket = new EventSocket(webSocket, ctx, apps, subscribeAll, _options.OutgoingQueueCapacity, _restOverWebSocket.Handle);
        _pbx.AttachSocket(socket);
        try
        {
            await socket.RunAsync(ctx.RequestAborted);
        }
        finally
        {
            _pbx.DetachSocket(socket);
        }
    }

    private bool Authenticated(HttpRequest request)
    {
        string? credentials = null;
        string auth = request.Headers.Authorization.ToString();
        if (auth.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                credentials = Encoding.UTF8.GetString(Convert.FromBase64String(auth[6..].Trim()));
            }
            catch (FormatException)
            {
                return false; // not base64: not authenticated
            }
        }
        else if (request.Query.TryGetValue("api_key", out var key))
        {
            credentials = key.ToString();
        }
        return credentials == $"{_options.AriUser}:{_options.AriPassword}";
    }

    /// <summary>The recorded query must not carry the ARI password (the traces write &lt;password&gt; too).</summary>
    private static string MaskApiKey(string? query)
    {
        if (string.IsNullOrEmpty(query)) return "";
        var parts = query.TrimStart('?').Split('&');
        for (int i = 0; i < parts.Length; i++)
        {
            if (!parts[i].StartsWith("api_key=", StringComparison.Ordinal)) continue;
            string value = Uri.UnescapeDataString(parts[i]["api_key=".Length..]);
            int colon = value.IndexOf(':');
            parts[i] = "api_key=" + (colon < 0 ? "<password>" : value[..colon] + ":<password>");
        }
        return string.Join('&', parts);
    }

    private static async Task<(string? Raw, JsonElement? Parsed, AriResponse? Error)> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength is 0 || (request.ContentLength is null && !request.Headers.TransferEncoding.Any())) return (null, null, null);
        if (request.ContentLength > MaxBodyBytes) return (null, null, AriResponse.Error(413, $"Request body larger than {MaxBodyBytes} bytes"));
        // Read in small chunks up to the bound: a body is a few hundred bytes, and a buffer sized for the
        // largest allowed body on every request would cost the simulator megabytes per call under load.
        using var memory = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (memory.Length + read > MaxBodyBytes) return (null, null, AriResponse.Error(413, $"Request body larger than {MaxBodyBytes} bytes"));
            memory.Write(chunk, 0, read);
        }
        string raw = Encoding.UTF8.GetString(memory.GetBuffer(), 0, (int)memory.Length);
        if (string.IsNullOrWhiteSpace(raw)) return (raw, null, null);
        try
        {
            using var doc = JsonDocument.Parse(raw);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                return (raw, null, AriResponse.Error(400, "Request body must be a JSON object"));
            return (raw, doc.RootElement.Clone(), null);
        }
        catch (JsonException ex)
        {
            return (raw, null, AriResponse.Error(400, $"Malformed JSON request body: {ex.Message}"));
        }
    }

    private static async Task WriteAsync(HttpContext ctx, AriResponse response)
    {
        ctx.Response.StatusCode = response.Status;
        if (response.Location is not null) ctx.Response.Headers.Location = response.Location;
        if (response.Body is null) return;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(response.Body, ctx.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var socket in _pbx.Sockets()) socket.Abort();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
