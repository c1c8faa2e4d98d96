namespace Routing.Checks.Asterisk;

/// <summary>Asterisk extension patterns (<c>_X.</c>, <c>_1[0-4]Z!</c>): X any digit, Z 1-9,
/// N 2-9, [..] a set with ranges, <c>.</c> one or more of anything, <c>!</c> zero or more.</summary>
internal static class ExtensionPattern
{
    public static bool Matches(string pattern, string number)
    {
        if (!pattern.StartsWith('_')) return pattern == number;
        return Match(pattern.AsSpan(1), number.AsSpan());
    }

    private static bool Match(ReadOnlySpan<char> pattern, ReadOnlySpan<char> number)
    {
        while (!pattern.IsEmpty)
        {
            var p = char.ToUpperInvariant(pattern[0]);
            if (p == '.') return !number.IsEmpty;
            if (p == '!') return true;
            if (number.IsEmpty) return false;
            var c = number[0];
            int consumed;
            bool ok;
            switch (p)
            {
                case 'X': ok = c is >= '0' and <= '9'; consumed = 1; break;
                case 'Z': ok = c is >= '1' and <= '9'; consumed = 1; break;
                case 'N': ok = c is >= '2' and <= '9'; consumed = 1; break;
                case '[':
                    var close = pattern.IndexOf(']');
                    if (close < 0) return false;
                    ok = InSet(pattern[1..close], c);
                    consumed = close + 1;
                    break;
                default: ok = pattern[0] == c; consumed = 1; break;
            }
            if (!ok) return false;
            pattern = pattern[consumed..];
            number = number[1..];
        }
        return number.IsEmpty;
    }

    /// <summary>Asterisk's character set: single characters and a-z style ranges, as in
    /// extension patterns ([1-5]) and FILTER(allowed,...).</summary>
    internal static bool InSet(ReadOnlySpan<char> set, char c)
    {
        for (var i = 0; i < set.Length; i++)
        {
            if (i + 2 < set.Length && set[i + 1] == '-')
            {
                if (c >= set[i] && c <= set[i + 2]) return true;
                i += 2;
            }
            else if (set[i] == c)
            {
                return true;
            }
        }
        return false;
    }
}
