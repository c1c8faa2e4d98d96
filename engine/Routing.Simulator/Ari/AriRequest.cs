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

    /// <summary>An event filter list of the body ({"allowed": [{"type": "X"}]}): null when the key is absent, so Asterisk
    /// leaves that list as it is; false when it is not an array of objects with a string "type".</summary>
    public bool TryEventTypes(string name, out List<string>? types)
    {
        types = null;
        if (_body is not { ValueKind: JsonValueKind.Object } body || !body.TryGetProperty(name, out var list)) return true;
        if (list.ValueKind != JsonValueKind.Array) return false;
        types = new List<string>();
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("type", out var t) || t.ValueKind != JsonValueKind.String)
                return false;
            types.Add(t.GetString()!);
        }
        return true;
    }

    public bool HasBody => _body is { ValueKind: JsonValueKind.Object };

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
