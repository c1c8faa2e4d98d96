using System.Text.Json;
using System.Text.Json.Nodes;

namespace Routing.Simulator.Tests.Support;

internal static class Json
{
    public static string Type(JsonElement e) => e.GetProperty("type").GetString()!;

    /// <summary>The names of every property, nested, in order — values ignored (arrays: the shape of their first item).</summary>
    public static string Shape(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "{" + string.Join(",", e.EnumerateObject().Select(p => p.Name + Shape(p.Value))) + "}",
        JsonValueKind.Array => "[" + (e.GetArrayLength() > 0 ? Shape(e[0]) : "") + "]",
        _ => "",
    };

    public static bool DeepEquals(JsonElement a, JsonElement b) => JsonNode.DeepEquals(JsonNode.Parse(a.GetRawText()), JsonNode.Parse(b.GetRawText()));

    public static bool DeepEquals(string a, JsonElement b) => JsonNode.DeepEquals(JsonNode.Parse(a), JsonNode.Parse(b.GetRawText()));
}
