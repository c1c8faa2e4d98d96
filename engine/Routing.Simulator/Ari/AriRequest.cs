using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Routing.Simulator.Ari;

/// <summary>An ARI request: method, path segments under /ari/, and parameters from the query string or the JSON body (ARI accepts both).</summary>
internal sealed class AriRequest
{
    private readonly IQueryCollection _query;
    private readonly JsonElement? _body;

    public AriRequest(string method, string[] segments, IQueryCollection query, JsonElement? body)
    {
        Method = method;
        Segments = segments;
        _query = query;
        _body = body;
    }

    public string Method { get; }
    public string[] Segments { get; }

    public string? Param(string name)
    {
        if (_query.TryGetValue(name, out var values) && values.Count > 0)
            return string.Join(',', values.Where(v => v is not null)!); // repeated ?channel=a&channel=b is the same as channel=a,b
        if (_body is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty(name, out var p))
            return p.ValueKind switch
            {
                JsonValueKind.String => p.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => p.GetRawText(),
                _ => null,
            };
        return null;
    }

    /// <summary>The "variables" object of an originate body: {"variables": {"NAME": "value"}}.</summary>
    public IReadOnlyDictionary<string, string> Variables()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (_body is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty("variables", out var vars) && vars.ValueKind == JsonValueKind.Object)
            foreach (var v in vars.EnumerateObject())
                result[v.Name] = v.Value.ValueKind == JsonValueKind.String ? v.Value.GetString()! : v.Value.GetRawText();
        return result;
    }
}
