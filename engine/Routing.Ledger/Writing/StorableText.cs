using System.Text;

namespace Routing.Ledger;

/// <summary>
/// What every provider can store exactly. Free text (caller numbers, details) is kept exactly, with
/// two exceptions that no provider stores the same way: U+0000 (PostgreSQL rejects it in text) becomes
/// U+2400 "␀", and a lone UTF-16 surrogate (not encodable as UTF-8) becomes U+FFFD. Doing this before
/// the queue means a hostile caller id can never become a record the database refuses forever.
/// Keys (ids, kinds) are bounded so they fit every provider's index.
/// </summary>
internal static class StorableText
{
    public const int MaxKeyLength = 256;

    public const char NulReplacement = '\u2400';

    public static string Key(string? value, string name)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new ArgumentException($"Ledger record field {name} is empty.", name);
        }

        if (value.Length > MaxKeyLength)
        {
            throw new ArgumentException($"Ledger record field {name} is {value.Length} characters; at most {MaxKeyLength} are allowed.", name);
        }

        return Free(value, name);
    }

    public static string? OptionalKey(string? value, string name) => value is null ? null : Key(value, name);

    public static string Free(string? value, string name)
    {
        if (value is null)
        {
            throw new ArgumentNullException(name, $"Ledger record field {name} is null.");
        }

        return NeedsRepair(value) ? Repair(value) : value;
    }

    private static bool NeedsRepair(string value)
    {
        foreach (var c in value)
        {
            if (c == '\0' || char.IsSurrogate(c))
            {
                // Surrogates are usually paired and fine; Repair checks pairing precisely.
                return true;
            }
        }

        return false;
    }

    private static string Repair(string value)
    {
        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0')
            {
                builder.Append(NulReplacement);
            }
            else if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                builder.Append(c).Append(value[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                builder.Append('\uFFFD');
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
