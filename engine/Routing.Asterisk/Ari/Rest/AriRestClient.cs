using System.Buffers;
using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Routing.Asterisk.Ari;

/// <summary>
/// Typed ARI REST calls over a transport: HTTP on a bounded pool by default, or the event websocket
/// (ARI REST over WebSocket). Every request has a hard timeout that explains itself, and a non-2xx
/// answer becomes an <see cref="AriException"/> with Asterisk's own message.
/// </summary>
public sealed class AriRestClient : IAriRestClient, IDisposable
{
    private readonly AriOptions _options;
    private readonly IAriTransport _transport;
    private readonly bool _ownsTransport;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private int _inFlight;

    /// <summary>Over HTTP, with a SocketsHttpHandler bounded to <see cref="AriOptions.MaxConnections"/>.</summary>
    public AriRestClient(AriOptions options, ILogger<AriRestClient>? logger = null, TimeProvider? timeProvider = null)
        : this(Validated(options), new AriHttpTransport(options), ownsTransport: true, logger, timeProvider)
    {
    }

    /// <summary>Over HTTP with a handler of the caller's (tests, a proxy). The handler is disposed with the client.</summary>
    public AriRestClient(AriOptions options, HttpMessageHandler handler, ILogger<AriRestClient>? logger = null, TimeProvider? timeProvider = null)
        : this(Validated(options), new AriHttpTransport(options, handler), ownsTransport: true, logger, timeProvider)
    {
    }

    /// <summary>Over any transport, e.g. an <see cref="AriEventStream"/> for REST over the event websocket. Not disposed with the client.</summary>
    public AriRestClient(AriOptions options, IAriTransport transport, ILogger<AriRestClient>? logger = null, TimeProvider? timeProvider = null)
        : this(Validated(options), transport, ownsTransport: false, logger, timeProvider)
    {
    }

    private AriRestClient(AriOptions options, IAriTransport transport, bool ownsTransport, ILogger? logger, TimeProvider? timeProvider)
    {
        _options = options;
        _transport = transport ?? throw new ArgumentNullException(nameof(transport));
        _ownsTransport = ownsTransport;
        _logger = logger ?? NullLogger<AriRestClient>.Instance;
        _time = timeProvider ?? TimeProvider.System;
    }

    private static AriOptions Validated(AriOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException("Invalid ARI options: " + string.Join("; ", errors), nameof(options));
        return options;
    }

    /// <summary>Requests sent and not yet answered.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    // ---- asterisk, applications

    public async Task<AriAsteriskInfo> GetInfoAsync(CancellationToken ct = default) =>
        (await SendAsync(HttpMethod.Get, "asterisk/info", null, null, Json.AriAsteriskInfo, ct).ConfigureAwait(false))!;

    public async Task<AriApplication> GetApplicationAsync(string application, CancellationToken ct = default) =>
        (await SendAsync(HttpMethod.Get, "applications/" + Segment(application, nameof(application)), null, null, Json.AriApplication, ct).ConfigureAwait(false))!;

    public async Task<IReadOnlyList<AriApplication>> ListApplicationsAsync(CancellationToken ct = default) =>
        (await SendAsync(HttpMethod.Get, "applications", null, null, Json.ListAriApplication, ct).ConfigureAwait(false))!;

    public Task<AriApplication> SubscribeAsync(string application, IReadOnlyList<string> eventSources, CancellationToken ct = default) =>
        SubscriptionAsync(HttpMethod.Post, application, eventSources, ct);

    public Task<AriApplication> UnsubscribeAsync(string application, IReadOnlyList<string> eventSources, CancellationToken ct = default) =>
        SubscriptionAsync(HttpMethod.Delete, application, eventSources, ct);

    private async Task<AriApplication> SubscriptionAsync(HttpMethod method, string application, IReadOnlyList<string> eventSources, CancellationToken ct)
    {
        var path = "applications/" + Segment(application, nameof(application)) + "/subscription";
        var query = new AriQuery().AddList("eventSource", RequireIds(eventSources, "eventSource"));
        return (await SendAsync(method, path, query, null, Json.AriApplication, ct).ConfigureAwait(false))!;
    }

    // ---- endpoints

    public async Task<IReadOnlyList<AriEndpoint>> ListEndpointsAsync(string? technology = null, CancellationToken ct = default) =>
        (await SendAsync(HttpMethod.Get, technology is null ? "endpoints" : "endpoints/" + Segment(technology, nameof(technology)),
            null, null, Json.ListAriEndpoint, ct).ConfigureAwait(false))!;

    public async Task<AriEndpoint> GetEndpointAsync(string technology, string resource, CancellationToken ct = default) =>
        (await SendAsync(HttpMethod.Get, "endpoints/" + Segment(technology, nameof(technology)) + "/" + Segment(resource, nameof(resource)),
            null, null, Json.AriEndpoint, ct).ConfigureAwait(false))!;

    public Task SetGlobalVariableAsync(string variable, string? value, CancellationToken ct = default)
    {
        RequireText(variable, nameof(variable));
        // POST, as asterisk.json (setGlobalVar) and res/ari/resource_asterisk.c have it: Asterisk 23.4.1 answers a PUT
        // 405 Invalid method, and the text heartbeat was never written (load-tests/asterisk text-engine-heartbeat).
        return SendAsync<object>(HttpMethod.Post, "asterisk/variable", new AriQuery().Add("variable", variable).Add("value", value), null, null, ct);
    }

    public Task SendUserEventAsync(string application, string eventName, CancellationToken ct = default)
    {
        RequireText(application, nameof(application));
        return SendAsync<object>(HttpMethod.Post, "events/user/" + Segment(eventName, nameof(eventName)),
            new AriQuery().Add("application", application), null, null, ct);
    }

    public async Task<AriApplication> SetEventFilterAsync(string application, IReadOnlyCollection<string>? allowed,
        IReadOnlyCollection<string>? disallowed, CancellationToken ct = default)
    {
        var body = new AriEventFilterBody(TypeNames(allowed, nameof(allowed)), TypeNames(disallowed, nameof(disallowed)));
        return (await SendAsync(HttpMethod.Put, "applications/" + Segment(application, nameof(application)) + "/eventFilter",
            null, JsonBody(body, Json.AriEventFilterBody), Json.AriApplication, ct).ConfigureAwait(false))!;
    }

    private static List<AriEventTypeName>? TypeNames(IReadOnlyCollection<string>? types, string name)
    {
        if (types is null) return null;
        var list = new List<AriEventTypeName>(types.Count);
        foreach (var type in types)
        {
            RequireText(type, name);
            list.Add(new AriEventTypeName(type));
        }
        return list;
    }

    // ---- channels

    public async Task<IReadOnlyList<AriChannel>> ListChannelsAsync(CancellationToken ct = default) =>
        (await SendAsync(HttpMethod.Get, "channels", null, null, Json.ListAriChannel, ct).ConfigureAwait(false))!;

    public async Task<AriChannel> GetChannelAsync(string channelId, CancellationToken ct = default) =>
        (await SendAsync(HttpMethod.Get, ChannelPath(channelId), null, null, Json.AriChannel, ct).ConfigureAwait(false))!;

    public Task<AriChannel> OriginateAsync(AriOriginateRequest request, CancellationToken ct = default) =>
        NewChannelAsync("channels", request, dialNow: true, ct);

    public Task<AriChannel> CreateChannelAsync(AriOriginateRequest request, CancellationToken ct = default) =>
        NewChannelAsync("channels/create", request, dialNow: false, ct);

    /// <summary>POST /channels dials at once (callerId and timeout apply); POST /channels/create only
    /// creates, and takes neither: they go to the later /dial.</summary>
    private async Task<AriChannel> NewChannelAsync(string path, AriOriginateRequest request, bool dialNow, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequireText(request.Endpoint, "endpoint");
        RequireText(request.App, "app");
        RequireText(request.ChannelId, "channelId");
        var query = new AriQuery()
            .Add("endpoint", request.Endpoint)
            .Add("app", request.App)
            .AddList("appArgs", request.AppArgs);
        if (dialNow)
        {
            query.Add("callerId", request.CallerId).Add("timeout", request.TimeoutSeconds);
        }

        query.Add("channelId", request.ChannelId)
            .Add("otherChannelId", request.OtherChannelId)
            .Add("originator", request.Originator);
        var body = request.Variables is { Count: > 0 } vars ? JsonBody(new AriVariablesBody(vars)) : null;
        return (await SendAsync(HttpMethod.Post, path, query, body, Json.AriChannel, ct).ConfigureAwait(false))!;
    }

    public Task DialAsync(string channelId, string? caller = null, int? timeoutSeconds = null, CancellationToken ct = default) =>
        SendAsync<object>(HttpMethod.Post, ChannelPath(channelId) + "/dial",
            new AriQuery().Add("caller", caller).Add("timeout", timeoutSeconds), null, null, ct);

    public Task SendDtmfAsync(string channelId, string dtmf, CancellationToken ct = default)
    {
        RequireText(dtmf, nameof(dtmf));
        return SendAsync<object>(HttpMethod.Post, ChannelPath(channelId) + "/dtmf", new AriQuery().Add("dtmf", dtmf), null, null, ct);
    }

    public Task AnswerAsync(string channelId, CancellationToken ct = default) =>
        SendAsync<object>(HttpMethod.Post, ChannelPath(channelId) + "/answer", null, null, null, ct);

    public Task HangupAsync(string channelId, string? reason = null, CancellationToken ct = default) =>
        SendAsync<object>(HttpMethod.Delete, ChannelPath(channelId), new AriQuery().Add("reason", reason), null, null, ct);

    public Task RingAsync(string channelId, CancellationToken ct = default) =>
        SendAsync<object>(HttpMethod.Post, ChannelPath(channelId) + "/ring", null, null, null, ct);

    public Task SendMessageAsync(string to, string from, string body, IReadOnlyDictionary<string, string>? variables = null, CancellationToken ct = default)
    {
        RequireText(to, nameof(to));
        RequireText(from, nameof(from));
        ArgumentNullException.ThrowIfNull(body);
        var query = new AriQuery().Add("to", to).Add("from", from).Add("body", body);
        return SendAsync<object>(HttpMethod.Put, "endpoints/sendMessage", query, VariablesBody(variables), null, ct);
    }

    private static byte[]? VariablesBody(IReadOnlyDictionary<string, string>? variables)
    {
        if (variables is null || variables.Count == 0) return null;
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("variables");
            foreach (var (name, value) in variables) writer.WriteString(name, value);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public Task HoldAsync(string channelId, CancellationToken ct = default) =>
        SendAsync<object>(HttpMethod.Post, ChannelPath(channelId) + "/hold", null, null, null, ct);

    public Task UnholdAsync(string channelId, CancellationToken ct = default) =>
        SendAsync<object>(HttpMethod.Delete, ChannelPath(channelId) + "/hold", null, null, null, ct);

    public Task StartMohAsync(string channelId, string? mohClass = null, CancellationToken ct = default) =>
        SendAsync<object>(HttpMethod.Post, ChannelPath(channelId) + "/moh", new AriQuery().Add("mohClass", mohClass), null, null, ct);

    public Task StopMohAsync(string channelId, CancellationToken ct = default) =>
        SendAsync<object>(HttpMethod.Delete, ChannelPath(channelId) + "/moh", null, null, null, ct);

    public Task ContinueAsync(string channelId, string? context = null, string? extension = null, int? priority = null,
        string? label = null, CancellationToken ct = default) =>
        SendAsync<object>(HttpMethod.Post, ChannelPath(channelId) + "/continue",
            new AriQuery().Add("context", context).Add("extension", extension).Add("priority", priority).Add("label", label),
            null, null, ct);

    public async Task<string?> GetVariableAsync(string channelId, string variable, CancellationToken ct = default)
    {
        RequireText(variable, nameof(variable));
        try
        {
            var result = await SendAsync(HttpMethod.Get, ChannelPath(channelId) + "/variable",
                new AriQuery().Add("variable", variable), null, Json.AriVariable, ct).ConfigureAwait(false);
            return result!.Value;
        }
        catch (AriException ex) when (ex.StatusCode == HttpStatusCode.NotFound
                                      && ex.AsteriskMessage.Contains("variable was not found", StringComparison.OrdinalIgnoreCase))
        {
            // Asterisk's way of saying "unset"; a 404 "Channel not found" still throws.
            return null;
        }
    }

    public Task SetVariableAsync(string channelId, string variable, string? value, CancellationToken ct = default)
    {
        RequireText(variable, nameof(variable));
        return SendAsync<object>(HttpMethod.Post, ChannelPath(channelId) + "/variable",
            new AriQuery().Add("variable", variable).Add("value", value), null, null, ct);
    }

    public async Task<AriPlayback> PlayAsync(string channelId, string media, string? playbackId = null, string? lang = null,
        CancellationToken ct = default)
    {
        RequireText(media, nameof(media));
        var query = new AriQuery().Add("media", media).Add("lang", lang).Add("playbackId", playbackId);
        return (await SendAsync(HttpMethod.Post, ChannelPath(channelId) + "/play", query, null, Json.AriPlayback, ct).ConfigureAwait(false))!;
    }

    public async Task<AriPlayback> GetPlaybackAsync(string playbackId, CancellationToken ct = default) =>
        (await SendAsync(HttpMethod.Get, "playbacks/" + Segment(playbackId, nameof(playbackId)), null, null, Json.AriPlayback, ct).ConfigureAwait(false))!;

    public Task StopPlaybackAsync(string playbackId, CancellationToken ct = default) =>
        SendAsync<object>(HttpMethod.Delete, "playbacks/" + Segment(playbackId, nameof(playbackId)), null, null, null, ct);

    public async Task<AriChannel> SnoopAsync(string channelId, string app, string? spy = null, string? whisper = null,
        IReadOnlyList<string>? appArgs = null, string? snoopId = null, CancellationToken ct = default)
    {
        RequireText(app, nameof(app));
        var query = new AriQuery().Add("spy", spy).Add("whisper", whisper).Add("app", app).AddList("appArgs", appArgs).Add("snoopId", snoopId);
        return (await SendAsync(HttpMethod.Post, ChannelPath(channelId) + "/snoop", query, null, Json.AriChannel, ct).ConfigureAwait(false))!;
    }

    public async Task<AriLiveRecording> RecordAsync(string channelId, string name, string format, int? maxDurationSeconds = null,
        string? ifExists = null, CancellationToken ct = default)
    {
        RequireText(name, nameof(name));
        RequireText(format, nameof(format));
        var query = new AriQuery().Add("name", name).Add("format", format).Add("maxDurationSeconds", maxDurationSeconds).Add("ifExists", ifExists);
        return (await SendAsync(HttpMethod.Post, ChannelPath(channelId) + "/record", query, null, Json.AriLiveRecording, ct).ConfigureAwait(false))!;
    }

    // ---- bridges

    public async Task<AriBridge> CreateBridgeAsync(string? bridgeId = null, string? type = null, string? name = null, CancellationToken ct = default)
    {
        var query = new AriQuery().Add("type", type).Add("bridgeId", bridgeId).Add("name", name);
        return (await SendAsync(HttpMethod.Post, "bridges", query, null, Json.AriBridge, ct).ConfigureAwait(false))!;
    }

    public async Task<AriBridge> GetBridgeAsync(string bridgeId, CancellationToken ct = default) =>
        (await SendAsync(HttpMethod.Get, BridgePath(bridgeId), null, null, Json.AriBridge, ct).ConfigureAwait(false))!;

    public async Task<IReadOnlyList<AriBridge>> ListBridgesAsync(CancellationToken ct = default) =>
        (await SendAsync(HttpMethod.Get, "bridges", null, null, Json.ListAriBridge, ct).ConfigureAwait(false))!;

    public Task AddChannelAsync(string bridgeId, IReadOnlyList<string> channelIds, CancellationToken ct = default) =>
        SendAsync<object>(HttpMethod.Post, BridgePath(bridgeId) + "/addChannel", new AriQuery().AddList("channel", RequireIds(channelIds)), null, null, ct);

    public Task AddChannelAsync(string bridgeId, IReadOnlyList<string> channelIds, string role, CancellationToken ct = default)
    {
        RequireText(role, nameof(role));
        return SendAsync<object>(HttpMethod.Post, BridgePath(bridgeId) + "/addChannel",
            new AriQuery().AddList("channel", RequireIds(channelIds)).Add("role", role), null, null, ct);
    }

    public Task RemoveChannelAsync(string bridgeId, IReadOnlyList<string> channelIds, CancellationToken ct = default) =>
        SendAsync<object>(HttpMethod.Post, BridgePath(bridgeId) + "/removeChannel", new AriQuery().AddList("channel", RequireIds(channelIds)), null, null, ct);

    public Task DestroyBridgeAsync(string bridgeId, CancellationToken ct = default) =>
        SendAsync<object>(HttpMethod.Delete, BridgePath(bridgeId), null, null, null, ct);

    public Task SetBridgeVideoSourceAsync(string bridgeId, string channelId, CancellationToken ct = default) =>
        SendAsync<object>(HttpMethod.Post, BridgePath(bridgeId) + "/videoSource/" + Segment(channelId, nameof(channelId)), null, null, null, ct);

    public Task StartBridgeMohAsync(string bridgeId, string? mohClass = null, CancellationToken ct = default) =>
        SendAsync<object>(HttpMethod.Post, BridgePath(bridgeId) + "/moh", new AriQuery().Add("mohClass", mohClass), null, null, ct);

    public Task StopBridgeMohAsync(string bridgeId, CancellationToken ct = default) =>
        SendAsync<object>(HttpMethod.Delete, BridgePath(bridgeId) + "/moh", null, null, null, ct);

    public void Dispose()
    {
        if (_ownsTransport && _transport is IDisposable disposable) disposable.Dispose();
    }

    // ---- the one request path

    private static AriJsonContext Json => AriJsonContext.Default;

    private async Task<T?> SendAsync<T>(HttpMethod method, string path, AriQuery? query, byte[]? body,
        JsonTypeInfo<T>? resultType, CancellationToken ct)
    {
        var request = new AriRequest(method, path, query ?? new AriQuery(), body);
        var started = _time.GetTimestamp();
        Interlocked.Increment(ref _inFlight);
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            var response = await _transport.SendAsync(request, linked.Token).ConfigureAwait(false);
            var status = (HttpStatusCode)response.StatusCode;
            if (response.StatusCode is < 200 or > 299)
            {
                var error = new AriException(status, method.Method, request.LogPath, AsteriskMessage(response.Body, response.ReasonPhrase));
                if (error.IsNotFound) LogMessages.AriResourceGone(_logger, method.Method, request.LogPath, response.StatusCode, error.AsteriskMessage);
                else LogMessages.AriRequestFailed(_logger, method.Method, request.LogPath, response.StatusCode, error.AsteriskMessage);
                throw error;
            }
            if (resultType is null) return default;
            try
            {
                return JsonSerializer.Deserialize(response.Body, resultType)
                       ?? throw new JsonException("the body is JSON null");
            }
            catch (JsonException ex)
            {
                throw new AriException(status, method.Method, request.LogPath,
                    $"answer is not a valid {typeof(T).Name} at {ex.Path ?? "$"}: {ex.Message} (body starts: {AriEventParser.Excerpt(response.Body)})");
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            var ex = new AriTimeoutException(method.Method, request.LogPath, _time.GetElapsedTime(started), _options.RequestTimeout,
                InFlight, _options.MaxConnections);
            LogMessages.AriRequestTimedOut(_logger, ex.Message);
            throw ex;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static byte[] JsonBody(AriVariablesBody body) => JsonBody(body, Json.AriVariablesBody);

    private static byte[] JsonBody<T>(T body, JsonTypeInfo<T> typeInfo)
    {
        var buffer = new ArrayBufferWriter<byte>();
        // Relaxed escaping writes '+' and '<' as themselves, as Asterisk's own JSON does.
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            JsonSerializer.Serialize(writer, body, typeInfo);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Asterisk's reason: {"message":...} usually, {"error":...} for "Allocation failed"; else the raw text.</summary>
    internal static string AsteriskMessage(byte[] body, string? reasonPhrase)
    {
        if (body.Length > 0)
        {
            try
            {
                using var doc = JsonDocument.Parse(body);
                if (doc.RootElement.ValueKind == JsonValueKind.Object)
                {
                    foreach (var key in (ReadOnlySpan<string>)["message", "error"])
                        if (doc.RootElement.TryGetProperty(key, out var m) && m.ValueKind == JsonValueKind.String)
                            return m.GetString()!;
                }
            }
            catch (JsonException)
            {
                // Not JSON (a proxy's HTML page, say): show its start instead.
            }
            return AriEventParser.Excerpt(body);
        }
        return reasonPhrase ?? "(no body)";
    }

    private static string ChannelPath(string channelId) => "channels/" + Segment(channelId, nameof(channelId));
    private static string BridgePath(string bridgeId) => "bridges/" + Segment(bridgeId, nameof(bridgeId));

    private static string Segment(string value, string name)
    {
        RequireText(value, name);
        return Uri.EscapeDataString(value);
    }

    private static void RequireText(string value, string name)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException($"ARI parameter '{name}' must not be empty", name);
    }

    private static IReadOnlyList<string> RequireIds(IReadOnlyList<string> ids, string what = "channel")
    {
        ArgumentNullException.ThrowIfNull(ids, what);
        if (ids.Count == 0) throw new ArgumentException($"at least one {what} is required", what);
        foreach (var id in ids) RequireText(id, what);
        return ids;
    }
}
