using System.Collections;
using System.Reflection;
using System.Text.Json;

namespace Routing.Checks.Settings;

/// <summary>
/// Keys of a JSON section that no option property takes. The configuration binder ignores them
/// silently, so a misspelled <c>MenuDigt</c> leaves <c>MenuDigit</c> at its default; check-config
/// names each one and the closest key it could have meant. Dictionary keys (region, agency and
/// device names, digits) are data, not settings, and are never reported.
/// </summary>
internal static class UnknownKeys
{
    public static IEnumerable<(string Key, string Message)> Find(JsonElement section, Type options, string path)
    {
        if (section.ValueKind != JsonValueKind.Object) yield break;
        var properties = options.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToList();
        foreach (var json in section.EnumerateObject())
        {
            var key = $"{path}:{json.Name}";
            var property = properties.FirstOrDefault(p => string.Equals(p.Name, json.Name, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                yield return (key, $"{key} is not a setting; {Suggestion(json.Name, properties.Select(p => p.Name).ToList())}");
                continue;
            }
            foreach (var found in Values(json.Value, property.PropertyType, key)) yield return found;
        }
    }

    private static IEnumerable<(string, string)> Values(JsonElement value, Type type, string path)
    {
        if (IsDictionary(type, out var valueType))
        {
            if (value.ValueKind != JsonValueKind.Object) yield break;
            foreach (var entry in value.EnumerateObject())
            {
                foreach (var found in Values(entry.Value, valueType, $"{path}:{entry.Name}")) yield return found;
            }
        }
        else if (IsList(type, out var elementType))
        {
            if (value.ValueKind != JsonValueKind.Array) yield break;
            var index = 0;
            foreach (var element in value.EnumerateArray())
            {
                foreach (var found in Values(element, elementType, $"{path}:{index++}")) yield return found;
            }
        }
        else if (IsOptionsClass(type))
        {
            foreach (var found in Find(value, type, path)) yield return found;
        }
    }

    private static bool IsDictionary(Type type, out Type valueType)
    {
        var dictionary = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) ? type : null;
        valueType = dictionary?.GetGenericArguments()[1] ?? typeof(object);
        return dictionary is not null;
    }

    private static bool IsList(Type type, out Type elementType)
    {
        var list = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type : null;
        elementType = list?.GetGenericArguments()[0] ?? typeof(object);
        return list is not null;
    }

    private static bool IsOptionsClass(Type type) =>
        type.IsClass && type != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(type);

    private static string Suggestion(string unknown, IReadOnlyList<string> known)
    {
        var closest = known.Select(k => (Key: k, Distance: Distance(unknown.ToLowerInvariant(), k.ToLowerInvariant())))
            .OrderBy(k => k.Distance).ThenBy(k => k.Key, StringComparer.Ordinal).FirstOrDefault();
        return closest.Key is not null && closest.Distance <= Math.Max(2, unknown.Length / 3)
            ? $"did you mean {closest.Key}?"
            : $"known keys here: {string.Join(", ", known)}";
    }

    /// <summary>Levenshtein distance (insert, delete, substitute).</summary>
    internal static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            previous = current;
        }
        return previous[b.Length];
    }
}
