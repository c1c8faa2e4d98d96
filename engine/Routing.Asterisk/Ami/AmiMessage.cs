using System.Text;

namespace Routing.Asterisk.Ami;

/// <summary>
/// One AMI message (a Response or an Event): its "Key: value" lines in order, looked up case-insensitively,
/// repeated keys kept (Variable, Output...). A "Response: Follows" CLI body is in <see cref="Output"/>.
/// </summary>
public sealed record AmiMessage : AmiStreamItem
{
    private readonly IReadOnlyList<string>? _followsBody;

    /// <summary>No index is built: an event has 10–30 fields and is asked for a handful of them, so a scan
    /// costs less than the dictionary and a list per key it replaced (issue 11: ~70 AMI events per call).</summary>
    public AmiMessage(IReadOnlyList<KeyValuePair<string, string>> fields, IReadOnlyList<string>? followsBody = null, long position = 0)
    {
        Fields = fields;
        _followsBody = followsBody;
        Position = position;
    }

    public IReadOnlyList<KeyValuePair<string, string>> Fields { get; }

    /// <summary>Byte offset of the message in its connection's stream (for error messages).</summary>
    public long Position { get; }

    /// <summary>The first value of <paramref name="key"/> (any case), or null.</summary>
    public string? this[string key]
    {
        get
        {
            var fields = Fields;
            for (var i = 0; i < fields.Count; i++)
            {
                if (string.Equals(fields[i].Key, key, StringComparison.OrdinalIgnoreCase)) return fields[i].Value;
            }
            return null;
        }
    }

    public IReadOnlyList<string> GetAll(string key)
    {
        List<string>? values = null;
        foreach (var (k, v) in Fields)
        {
            if (string.Equals(k, key, StringComparison.OrdinalIgnoreCase)) (values ??= []).Add(v);
        }
        return values is null ? [] : values;
    }

    public bool Has(string key) => this[key] is not null;

    public bool IsEvent => Has("Event");
    public bool IsResponse => Has("Response");
    public string? EventName => this["Event"];
    public string? ResponseStatus => this["Response"];
    public string? ActionId => this["ActionID"];

    /// <summary>CLI output: the body of a "Response: Follows" (old format) or the "Output:" lines (Asterisk 14+).</summary>
    public IReadOnlyList<string> Output => _followsBody ?? GetAll("Output");

    /// <summary>The message as it appeared on the wire, with Secret masked.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var (key, value) in Fields)
            text.Append(key).Append(": ").Append(key.Equals("Secret", StringComparison.OrdinalIgnoreCase) ? "****" : value).Append("\r\n");
        if (_followsBody is not null)
        {
            foreach (var line in _followsBody) text.Append(line).Append('\n');
            text.Append("--END COMMAND--\r\n");
        }
        return text.ToString();
    }

    public bool Equals(AmiMessage? other) => ReferenceEquals(this, other);
    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);
}
