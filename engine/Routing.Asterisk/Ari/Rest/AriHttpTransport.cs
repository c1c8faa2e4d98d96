using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Routing.Asterisk.Ari;

/// <summary>
/// ARI over HTTP: one HttpClient on a bounded pool. The bound matters: Asterisk's HTTP server caps sessions
/// (100 by default) and a client that opens a connection per request in flight makes requests hang forever.
/// </summary>
public sealed class AriHttpTransport : IAriTransport, IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _baseUrl;

    public AriHttpTransport(AriOptions options) : this(options, CreateHandler(options))
    {
    }

    /// <summary>With a handler of the caller's (tests, a proxy). The handler is disposed with the transport.</summary>
    public AriHttpTransport(AriOptions options, HttpMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        _baseUrl = options.BaseUrl;
        _http = new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = options.BaseUrl,
            Timeout = Timeout.InfiniteTimeSpan, // the client's own linked timeout covers queueing, headers and body
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.User}:{options.Password}")));
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    public static SocketsHttpHandler CreateHandler(AriOptions options) => new()
    {
        MaxConnectionsPerServer = options.MaxConnections,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(50),
        ConnectTimeout = options.RequestTimeout,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        AllowAutoRedirect = false,
    };

    public async Task<AriRawResponse> SendAsync(AriRequest request, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(request.Method, request.Path + request.Query);
        if (request.JsonBody is not null)
        {
            message.Content = new ByteArrayContent(request.JsonBody);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        try
        {
            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            return new AriRawResponse((int)response.StatusCode, response.ReasonPhrase, body);
        }
        catch (HttpRequestException ex)
        {
            throw new AriUnavailableException(request.Method.Method, request.LogPath, _baseUrl, ex);
        }
    }

    public void Dispose() => _http.Dispose();
}
