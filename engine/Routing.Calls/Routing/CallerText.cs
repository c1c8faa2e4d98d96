using System.Text;

namespace Routing.Calls.Routing;

/// <summary>
/// Cleans what callers control (caller id number and name, dialed number) before it reaches
/// routing, the ledger or a dial string. A hostile caller id (control characters, 10 KB strings,
/// SQL or format strings) must never throw and never travel further than this.
/// </summary>
public static class CallerText
{
    /// <summary>E.164 allows 15 digits; national formats and carrier prefixes need a little more.</summary>
    public const int MaxNumberLength = 32;

    /// <summary>Longest free text (caller name) kept for the ledger.</summary>
    public const int MaxTextLength = 80;

    /// <summary>Keeps only digits and one leading <c>+</c>, capped at <see cref="MaxNumberLength"/>.
    /// Anonymous, withheld or empty numbers become the empty string.</summary>
    public static string NormaliseNumber(string? raw)
    {
        if (string.IsNullOrEmpty(raw)) return "";
        var kept = new StringBuilder(Math.Min(raw.Length, MaxNumberLength));
        foreach (var c in raw)
        {
            if (kept.Length >= MaxNumberLength) break;
            if (c is >= '0' and <= '9') kept.Append(c);
            else if (c == '+' && kept.Length == 0) kept.Append(c);
        }
        // A lone "+" is no number at all.
        return kept.Length == 1 && kept[0] == '+' ? "" : kept.ToString();
    }

    /// <summary>Drops control and invisible formatting characters (e.g. right-to-left overrides)
    /// and caps the length, so free text is safe to store and to show.</summary>
    public static string CleanText(string? raw, int maxLength = MaxTextLength)
    {
        if (string.IsNullOrEmpty(raw)) return "";
        var kept = new StringBuilder(Math.Min(raw.Length, maxLength));
        foreach (var c in raw)
        {
            if (kept.Length >= maxLength) break;
            // Surrogates go too: capping could otherwise split a pair into invalid UTF-16.
            if (char.IsControl(c) || char.IsSurrogate(c)) continue;
            if (char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format) continue;
            kept.Append(c);
        }
        return kept.ToString().Trim();
    }
}
