using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Routing.Simulator.Tests.Support;

/// <summary>A plain HttpClient speaking ARI REST to the simulator.</summary>
internal sealed class AriClient : IDisposable
{
    private readonly HttpClient _http;

    public AriClient(SimulatedAsterisk sim, string? user = "routing", string? password = "routing-secret")
    {
        _http = new HttpClient { BaseAddress = new Uri(sim.AriBaseUrl.GetLeftPart(UriPartial.Authority)), Timeout = TimeSpan.FromSeconds(10) };
        if (user is not null)
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
    }

    public sealed record Reply(int Status, string Body)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();
        public override string ToString() => $"{Status} {Body}";
    }

    /// <summary><paramref name="pathAndQuery"/> as in the traces, e.g. "/ari/channels/1.2/answer".</summary>
    public async Task<Reply> SendAsync(string method, string pathAndQuery, string? jsonBody = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), pathAndQuery);
        if (jsonBody is not null) request.Content = new StringContent(jsonBody, Encoding.UTF8, "application/json");
        using var response = await _http.SendAsync(request);
        return new Reply((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public Task<Reply> Get(string path) => SendAsync("GET", path);
    public Task<Reply> Post(string path, string? body = null) => SendAsync("POST", path, body);
    public Task<Reply> Delete(string path) => SendAsync("DELETE", path);

    public void Dispose() => _http.Dispose();
}
