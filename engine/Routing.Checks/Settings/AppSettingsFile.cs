using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Routing.Calls.Centre;
using Routing.Calls.Routing;

namespace Routing.Checks.Settings;

/// <summary>
/// The engine's appsettings.json as the checks need it: the Routing section bound to
/// <see cref="RoutingOptions"/>, the Centre section bound to <see cref="CentreOptions"/>, and the Asterisk connection settings, each with its line.
/// </summary>
internal sealed class AppSettingsFile
{
    private static readonly JsonSerializerOptions BindOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        // Fill the option objects' own dictionaries, which compare keys case-insensitively as
        // the configuration binder does, instead of replacing them with case-sensitive ones.
        PreferredObjectCreationHandling = JsonObjectCreationHandling.Populate,
        // Centre:Groups:<g>:Strategy = "RingAll", as the configuration binder reads enums.
        Converters = { new JsonStringEnumConverter() },
    };

    private AppSettingsFile(string path, JsonLineIndex index, JsonElement root, RoutingOptions? routing, CentreOptions? centre, global::Routing.Calls.Text.TextOptions? text)
    {
        Text = text;
        Path = path;
        Index = index;
        Root = root;
        Routing = routing;
        Centre = centre;
    }

    public string Path { get; }

    public JsonLineIndex Index { get; }

    /// <summary>Null when the section is missing or does not bind (a finding says why).</summary>
    public RoutingOptions? Routing { get; }

    /// <summary>The call-taker centre; null when the section is missing or does not bind (a finding says why).</summary>
    public CentreOptions? Centre { get; }

    /// <summary>Text callers (<c>Text</c>); null when the section is absent (text off) or does not bind.</summary>
    public global::Routing.Calls.Text.TextOptions? Text { get; }

    private JsonElement Root { get; }

    /// <summary>Loads the file; returns null (with findings) when it is missing or not valid JSON.</summary>
    public static AppSettingsFile? Load(string path, Findings findings)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            findings.Error(path, 0, $"cannot read the routing configuration: {ex.Message}");
            return null;
        }
        var utf8 = StripBom(bytes);

        JsonLineIndex index;
        JsonDocument document;
        try
        {
            index = JsonLineIndex.Build(utf8);
            document = JsonDocument.Parse(utf8.ToArray(), new JsonDocumentOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            });
        }
        catch (JsonException ex)
        {
            var line = (int)(ex.LineNumber ?? 0) + 1;
            findings.Error(path, line, $"not valid JSON: {FirstSentence(ex.Message)}");
            return null;
        }

        using (document)
        {
            var root = document.RootElement.Clone();
            if (root.ValueKind != JsonValueKind.Object)
            {
                findings.Error(path, 1, "the file must hold a JSON object");
                return null;
            }
            var routing = Bind<RoutingOptions>(RoutingOptions.Section, "the engine has nothing to route with", path, root, index, findings);
            var centre = Bind<CentreOptions>(CentreOptions.Section, "no call-taker position is configured", path, root, index, findings);
            // Text is optional: no section means no text callers, not a finding.
            var text = root.EnumerateObject().Any(p => string.Equals(p.Name, global::Routing.Calls.Text.TextOptions.Section, StringComparison.OrdinalIgnoreCase))
                ? Bind<global::Routing.Calls.Text.TextOptions>(global::Routing.Calls.Text.TextOptions.Section, "", path, root, index, findings)
                : null;
            return new AppSettingsFile(path, index, root, routing, centre, text);
        }
    }

    /// <summary>A string setting such as <c>Asterisk:Ari:Application</c>; null when absent.</summary>
    public string? GetString(string key)
    {
        var element = Find(key);
        return element is { ValueKind: JsonValueKind.String } e ? e.GetString()
            : element is { ValueKind: JsonValueKind.Number } n ? n.GetRawText()
            : null;
    }

    public int LineOf(string key) => Index.LineOf(key);

    private JsonElement? Find(string key)
    {
        var current = Root;
        foreach (var part in key.Split(':'))
        {
            if (current.ValueKind != JsonValueKind.Object) return null;
            var found = false;
            foreach (var property in current.EnumerateObject())
            {
                if (string.Equals(property.Name, part, StringComparison.OrdinalIgnoreCase))
                {
                    current = property.Value;
                    found = true;
                }
            }
            if (!found) return null;
        }
        return current;
    }

    private static T? Bind<T>(string name, string whenMissing, string path, JsonElement root, JsonLineIndex index, Findings findings)
        where T : class
    {
        JsonElement? section = null;
        foreach (var property in root.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase)) section = property.Value;
        }
        if (section is not { ValueKind: JsonValueKind.Object } found)
        {
            findings.Error(path, 1, $"no \"{name}\" section: {whenMissing}");
            return null;
        }

        var sectionLine = index.LineOf(name);
        foreach (var (key, message) in UnknownKeys.Find(found, typeof(T), name))
        {
            findings.Error(path, index.Contains(key) ? index.LineOf(key) : sectionLine, message);
        }
        try
        {
            return JsonSerializer.Deserialize<T>(found.GetRawText(), BindOptions)
                ?? throw new JsonException("the section is null");
        }
        catch (JsonException ex)
        {
            // The exception's path ($.Regions.almaty...) names the key; its line is relative to the section.
            var key = ex.Path is { Length: > 1 } p ? name + ":" + p.TrimStart('$', '.').Replace('.', ':').Replace("[", ":").Replace("]", "").Replace("'", "") : name;
            var line = index.Contains(key) ? index.LineOf(key) : sectionLine + (int)(ex.LineNumber ?? 0);
            findings.Error(path, line, ValueProblem.Describe(found, typeof(T), name, key) ?? $"{key}: {FirstSentence(ex.Message)}");
            return null;
        }
    }

    private static ReadOnlySpan<byte> StripBom(byte[] bytes)
    {
        var bom = Encoding.UTF8.Preamble;
        return bytes.AsSpan().StartsWith(bom) ? bytes.AsSpan(bom.Length) : bytes;
    }

    /// <summary>System.Text.Json messages carry "Path: ... | LineNumber: ..." which the finding already says.</summary>
    private static string FirstSentence(string message)
    {
        // The finding carries the line; the message's own "LineNumber: n | BytePositionInLine: m"
        // would give a second (0-based) line number for the same error.
        var cuts = new[] { " Path:", " LineNumber:" }.Select(m => message.IndexOf(m, StringComparison.Ordinal)).Where(i => i > 0).ToList();
        return (cuts.Count > 0 ? message[..cuts.Min()] : message).Trim();
    }
}
