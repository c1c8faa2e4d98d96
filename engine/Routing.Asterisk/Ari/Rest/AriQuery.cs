using System.Text;

namespace Routing.Asterisk.Ari;

/// <summary>A query string built in order, every name and value percent-encoded (RFC 3986), so spaces, quotes,
/// '&lt;', '&gt;', ',' and '+' reach Asterisk unchanged (Asterisk decodes a bare '+' as a space).</summary>
internal sealed class AriQuery
{
    private readonly StringBuilder _text = new();

    public AriQuery Add(string name, string? value)
    {
        if (value is null) return this;
        _text.Append(_text.Length == 0 ? '?' : '&')
             .Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
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

    public override string ToString() => _text.ToString();
}
