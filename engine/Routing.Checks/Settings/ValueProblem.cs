using System.Reflection;
using System.Text.Json;

namespace Routing.Checks.Settings;

/// <summary>Says in configuration words what is wrong with a value the binder could not convert
/// (System.Text.Json only says "could not be converted to System.TimeSpan").</summary>
internal static class ValueProblem
{
    public static string? Describe(JsonElement section, Type options, string sectionName, string key)
    {
        var parts = key.Split(':').Skip(1).ToList(); // without the section name
        var element = section;
        Type? type = options;
        foreach (var part in parts)
        {
            if (element.ValueKind == JsonValueKind.Object && element.EnumerateObject().LastOrDefault(p => string.Equals(p.Name, part, StringComparison.OrdinalIgnoreCase)) is { Name: not null } property)
                element = property.Value;
            else if (element.ValueKind == JsonValueKind.Array && int.TryParse(part, out var index) && index < element.GetArrayLength())
                element = element[index];
            else
                return null;
            type = type is null ? null : Member(type, part);
        }
        var raw = element.ValueKind == JsonValueKind.String ? element.GetString() : element.GetRawText();
        var target = Nullable.GetUnderlyingType(type ?? typeof(object)) ?? type;
        return target switch
        {
            _ when target == typeof(TimeSpan) => $"{sectionName}:{string.Join(':', parts)}: '{raw}' is not a duration; use hh:mm:ss, e.g. {Example(options, parts)}",
            _ when target == typeof(int) => $"{sectionName}:{string.Join(':', parts)}: '{raw}' is not a whole number",
            _ when target == typeof(bool) => $"{sectionName}:{string.Join(':', parts)}: '{raw}' is not true or false",
            _ when target == typeof(double) => $"{sectionName}:{string.Join(':', parts)}: '{raw}' is not a number",
            _ => null,
        };
    }

    /// <summary>The member type a key part leads to: a property, a dictionary's or a list's values.</summary>
    private static Type? Member(Type type, string part)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>)) return type.GetGenericArguments()[1];
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>)) return type.GetGenericArguments()[0];
        return type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => string.Equals(p.Name, part, StringComparison.OrdinalIgnoreCase))?.PropertyType;
    }

    /// <summary>The setting's own default when it has one (so the example fits it), else 00:00:05.</summary>
    private static string Example(Type options, IReadOnlyList<string> parts)
    {
        object? current = Activator.CreateInstance(options);
        foreach (var part in parts)
        {
            var property = current?.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .FirstOrDefault(p => string.Equals(p.Name, part, StringComparison.OrdinalIgnoreCase));
            current = property?.GetValue(current);
        }
        return current is TimeSpan span && span > TimeSpan.Zero ? span.ToString("c", System.Globalization.CultureInfo.InvariantCulture) : "00:00:05";
    }
}
