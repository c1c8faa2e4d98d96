using System.Text;
using Routing.Asterisk.Ari;

namespace Routing.AriFloor.Tests;

/// <summary>An ARI wire that records each request as "METHOD path" and answers as Asterisk does: the new channel
/// or bridge for POST /channels and POST /bridges, 204 otherwise, or what the test scripted for a request.</summary>
internal sealed class ScriptedTransport : IAriTransport
{
    private readonly List<(string Prefix, int Status, string Body)> _scripted = [];
    private readonly List<string> _requests = [];

    public IReadOnlyList<string> Requests
    {
        get { lock (_requests) return [.. _requests]; }
    }

    /// <summary>Answer every request whose "METHOD path" starts with <paramref name="prefix"/> with this status and body.</summary>
    public void Answer(string prefix, int status, string body) => _scripted.Add((prefix, status, body));

    public Task<AriRawResponse> SendAsync(AriRequest request, CancellationToken ct)
    {
        var line = $"{request.Method.Method} {request.Path}";
        lock (_requests) _requests.Add(line);
        foreach (var (prefix, status, scripted) in _scripted)
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
                return Task.FromResult(new AriRawResponse(status, null, Encoding.UTF8.GetBytes(scripted)));
        }
        var body = (request.Method.Method, request.Path) switch
        {
            ("POST", "channels") => $$"""{"id":"{{Query(request, "channelId")}}","name":"PJSIP/fire-almaty-1-00000001","state":"Down"}""",
            ("POST", "bridges") => $$"""{"id":"{{Query(request, "bridgeId")}}","technology":"simple_bridge","bridge_type":"mixing","bridge_class":"stasis","creator":"Stasis","name":"","channels":[]}""",
            _ => null,
        };
        return Task.FromResult(body is null ? new AriRawResponse(204, "No Content", []) : new AriRawResponse(200, "OK", Encoding.UTF8.GetBytes(body)));
    }

    private static string Query(AriRequest request, string name) => request.Query.Pairs.Single(p => p.Key == name).Value;
}
