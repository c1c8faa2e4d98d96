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

    /// <summary>Longest timestamp read without a string: Asterisk's form is 28 characters.</summary>
    private const int MaxInlineLength = 48;

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // Every ARI event carries one or more timestamps: the common, plain ones are parsed from the
        // frame's bytes, with no string made for them (issue 11: allocations per call).
        if (reader.TokenType == JsonTokenType.String && !reader.HasValueSequence && !reader.ValueIsEscaped
            && reader.ValueSpan.Length <= MaxInlineLength && System.Text.Ascii.IsValid(reader.ValueSpan))
        {
            Span<char> chars = stackalloc char[MaxInlineLength];
            var length = System.Text.Encoding.ASCII.GetChars(reader.ValueSpan, chars);
            if (TryParse(chars[..length], out var parsed)) return parsed;
            throw NotATimestamp(chars[..length].ToString());
        }

        var text = reader.GetString() ?? throw new JsonException("expected a timestamp string, got null");
        if (TryParse(text, out var value)) return value;
        throw NotATimestamp(text);
    }

    private static JsonException NotATimestamp(string text) =>
        new($"'{Truncate(text)}' is not an Asterisk timestamp (yyyy-MM-ddTHH:mm:ss.fff+hhmm)");

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
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text.AsSpan(), out value);
    }

    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        // "+0000" → "+00:00" so the invariant parser accepts it.
        if (text.Length > 5 && text.Length <= MaxInlineLength && text[^5] is '+' or '-' && IsDigits(text[^4..]))
        {
            Span<char> normalized = stackalloc char[MaxInlineLength + 1];
            text[..^2].CopyTo(normalized);
            normalized[text.Length - 2] = ':';
            text[^2..].CopyTo(normalized[(text.Length - 1)..]);
            return DateTimeOffset.TryParse(normalized[..(text.Length + 1)], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
        }

        if (text.Length > 5 && text[^5] is '+' or '-' && IsDigits(text[^4..]))
        {
            var longer = string.Concat(text[..^2], ":", text[^2..]);
            return DateTimeOffset.TryParse(longer, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    private static bool IsDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s) if (!char.IsAsciiDigit(c)) return false;
        return true;
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
