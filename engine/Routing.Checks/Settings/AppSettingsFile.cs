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

    private AppSettingsFile(string path, JsonLineIndex index, JsonElement root, RoutingOptions? routing, CentreOptions? centre)
    {
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
            return new AppSettingsFile(path, index, root, routing, centre);
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
            findings.Error(path, line, $"{key}: {FirstSentence(ex.Message)}");
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
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).Trim();
    }
}
