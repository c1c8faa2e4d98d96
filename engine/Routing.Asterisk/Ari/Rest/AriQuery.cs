using System.Text;

namespace Routing.Asterisk.Ari;

/// <summary>Query parameters in order. Over HTTP every name and value is percent-encoded (RFC 3986), so spaces,
/// quotes, '&lt;', '&gt;', ',' and '+' reach Asterisk unchanged (Asterisk decodes a bare '+' as a space); over the
/// websocket they travel as plain query_strings pairs.</summary>
public sealed class AriQuery
{
    private readonly List<KeyValuePair<string, string>> _pairs = [];

    public IReadOnlyList<KeyValuePair<string, string>> Pairs => _pairs;

    public AriQuery Add(string name, string? value)
    {
        if (value is not null) _pairs.Add(new KeyValuePair<string, string>(name, value));
        return this;
    }

    public AriQuery Add(string name, int? value) =>
        value is null ? this : Add(name, value.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>ARI list parameters (appArgs, channel) are one comma-joined value; a comma inside an item would split it.</summary>
    public AriQuery AddList(string name, IReadOnlyList<string>? values)
    {
        if (values is null || values.Count == 0) return this;
        foreach (var v in values)
        {
            ArgumentNullException.ThrowIfNull(v, name);
            if (v.Contains(',')) throw new ArgumentException($"ARI parameter '{name}' item '{v}' contains ',', which Asterisk would split", name);
        }
        return Add(name, string.Join(',', values));
    }

    /// <summary>"?a=b&amp;c=d", percent-encoded; empty when there are no parameters.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var (name, value) in _pairs)
            text.Append(text.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        return text.ToString();
    }
}
