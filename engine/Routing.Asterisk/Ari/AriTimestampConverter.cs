using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Routing.Asterisk.Ari;

/// <summary>
/// Asterisk writes times as "2026-11-24T02:13:02.214+0000" (no colon in the offset), which
/// System.Text.Json's ISO 8601 reader rejects. Reads both forms; writes Asterisk's form.
/// </summary>
public sealed class AriTimestampConverter : JsonConverter<DateTimeOffset>
{
    private const string AsteriskFormat = "yyyy-MM-dd'T'HH:mm:ss.fff";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString() ?? throw new JsonException("expected a timestamp string, got null");
        if (TryParse(text, out var value)) return value;
        throw new JsonException($"'{Truncate(text)}' is not an Asterisk timestamp (yyyy-MM-ddTHH:mm:ss.fff+hhmm)");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        var offset = value.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        writer.WriteStringValue(
            value.ToString(AsteriskFormat, CultureInfo.InvariantCulture) + $"{sign}{abs.Hours:00}{abs.Minutes:00}");
    }

    public static bool TryParse(string text, out DateTimeOffset value)
    {
        var normalized = text;
        // "+0000" → "+00:00" so the invariant parser accepts it.
        if (text.Length > 5 && text[^5] is '+' or '-' && IsDigits(text.AsSpan(text.Length - 4)))
            normalized = string.Concat(text.AsSpan(0, text.Length - 2), ":", text.AsSpan(text.Length - 2));
        return DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    private static bool IsDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s) if (!char.IsAsciiDigit(c)) return false;
        return true;
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
