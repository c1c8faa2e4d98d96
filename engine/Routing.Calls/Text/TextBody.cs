using System.Globalization;
using System.Text;

namespace Routing.Calls.Text;

/// <summary>A message body as the engine keeps it, and what had to be removed to get there.</summary>
/// <param name="Notes">Empty for a clean body; otherwise why it was cleaned ("3 control characters removed").</param>
public sealed record CleanBody(string Text, IReadOnlyList<string> Notes);

/// <summary>
/// Cleans what a text caller controls before it reaches the ledger, a console or an agency: control characters
/// (except new lines), invisible formatting characters (right-to-left overrides, zero-width joiners, which can
/// make a console show another text than was sent), lone surrogates; capped by characters without splitting a
/// surrogate pair (emoji survive). Never throws.
/// </summary>
public static class TextBody
{
    public static CleanBody Clean(string? raw, int maxLength)
    {
        if (string.IsNullOrEmpty(raw)) return new CleanBody("", []);
        var kept = new StringBuilder(Math.Min(raw.Length, maxLength));
        int controls = 0, formats = 0, broken = 0;
        var cut = false;
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            var pair = char.IsHighSurrogate(c) && i + 1 < raw.Length && char.IsLowSurrogate(raw[i + 1]);
            var width = pair ? 2 : 1;
            if (!pair && char.IsSurrogate(c)) { broken++; continue; }
            if (c == '\r') continue; // CRLF and CR become LF below
            if (c != '\n' && char.IsControl(c)) { controls++; continue; }
            var category = pair ? CharUnicodeInfo.GetUnicodeCategory(raw, i) : CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.Format) { formats++; i += width - 1; continue; }
            if (kept.Length + width > maxLength) { cut = true; break; }
            kept.Append(c);
            if (pair) kept.Append(raw[++i]);
        }

        var text = kept.ToString().Replace("\r", "", StringComparison.Ordinal).Trim();
        var notes = new List<string>();
        if (controls > 0) notes.Add($"{controls} control characters removed");
        if (formats > 0) notes.Add($"{formats} invisible formatting characters (e.g. right-to-left overrides) removed");
        if (broken > 0) notes.Add($"{broken} broken surrogate characters removed");
        if (cut) notes.Add($"cut to {maxLength} characters from {raw.Length}");
        return new CleanBody(text, notes);
    }

    /// <summary>Splits a text into parts of at most <paramref name="maxBytes"/> UTF-8 bytes, at a line or word
    /// break when one is near, never inside a surrogate pair. SIP MESSAGE over UDP should stay under 1300 bytes
    /// (RFC 3428 §10), and ARI takes the body in the request line, which Asterisk caps at 4096 bytes (main/http.c).</summary>
    public static IReadOnlyList<string> Split(string text, int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 16);
        var parts = new List<string>();
        var rest = text;
        while (Encoding.UTF8.GetByteCount(rest) > maxBytes)
        {
            var end = 0;
            var bytes = 0;
            while (end < rest.Length)
            {
                var width = char.IsHighSurrogate(rest[end]) && end + 1 < rest.Length ? 2 : 1;
                var size = Encoding.UTF8.GetByteCount(rest.AsSpan(end, width));
                if (bytes + size > maxBytes) break;
                bytes += size;
                end += width;
            }

            var breakAt = rest.LastIndexOfAny(['\n', ' '], end - 1, Math.Min(end, 80));
            if (breakAt > 0) end = breakAt + 1;
            parts.Add(rest[..end].TrimEnd());
            rest = rest[end..];
        }

        if (rest.Length > 0 || parts.Count == 0) parts.Add(rest);
        return parts;
    }

    /// <summary>The language a message is written in, from its letters: Kazakh-only Cyrillic letters → kk, other
    /// Cyrillic → ru, Latin → en; null when it cannot tell (digits, emoji).</summary>
    public static string? GuessLanguage(string text)
    {
        int cyrillic = 0, latin = 0;
        foreach (var c in text)
        {
            if ("әғқңөұүһіӘҒҚҢӨҰҮҺІ".Contains(c, StringComparison.Ordinal)) return "kk";
            if (c is >= '\u0400' and <= '\u04FF') cyrillic++;
            else if (c is >= 'a' and <= 'z' or >= 'A' and <= 'Z') latin++;
        }

        return cyrillic == 0 && latin == 0 ? null : cyrillic >= latin ? "ru" : "en";
    }
}
