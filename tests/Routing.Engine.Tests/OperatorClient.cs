using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Routing.Engine.Tests;

/// <summary>The operator API as a console uses it: JSON over HTTP on the admin port, the identity in the
/// development header (docs/operator-api.md).</summary>
internal sealed class OperatorClient(string adminUrl) : IDisposable
{
    private readonly HttpClient http = new() { BaseAddress = new Uri(adminUrl), Timeout = EngineHarness.CallTimeout };

    public sealed record Reply(HttpStatusCode Status, JsonElement Body)
    {
        public string Message => Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";

        public override string ToString() => $"{(int)Status} {Body}";
    }

    public Task<Reply> PostAsync(string user, string path, object? body = null, string role = "calltaker") =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) }, user, role);

    public Task<Reply> GetAsync(string user, string path, string role = "calltaker") =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, path), user, role);

    public async Task<Reply> LoginAsync(string user, string position)
    {
        var reply = await PostAsync(user, $"/api/calltakers/{position}/login");
        if (reply.Status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"login of {user} at {position} failed: {reply}");
        }

        return reply;
    }

    /// <summary>The centre as the supervisor sees it.</summary>
    public async Task<JsonElement> CentreAsync() => (await GetAsync("supervisor", "/api/centre", "supervisor")).Body;

    public async Task<string?> StateOfAsync(string position)
    {
        var centre = await CentreAsync();
        return centre.GetProperty("callTakers").EnumerateArray().First(c => c.GetProperty("position").GetString() == position).GetProperty("state").GetString();
    }

    public async Task<int> WaitingAsync() => (await CentreAsync()).GetProperty("waiting").GetArrayLength();

    private async Task<Reply> SendAsync(HttpRequestMessage request, string user, string role)
    {
        request.Headers.Add("X-Operator", user);
        request.Headers.Add("X-Operator-Role", role);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return new Reply(response.StatusCode, body);
    }

    public void Dispose() => http.Dispose();
}
