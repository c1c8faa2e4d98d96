namespace Routing.Checks.Asterisk;

/// <summary>One <c>key = value</c> (or <c>key =&gt; value</c>) line of an Asterisk .conf file.</summary>
internal sealed record ConfEntry(string Key, string Value, string File, int Line);

/// <summary>A <c>[name](options)</c> section. <see cref="Entries"/> holds the inherited template
/// entries first, then the section's own, as Asterisk's config loader applies them.</summary>
internal sealed class ConfSection(string name, string file, int line, bool isTemplate, IReadOnlyList<string> templates)
{
    public string Name { get; } = name;

    public string File { get; } = file;

    public int Line { get; } = line;

    public bool IsTemplate { get; } = isTemplate;

    public IReadOnlyList<string> Templates { get; } = templates;

    public List<ConfEntry> Own { get; } = [];

    public List<ConfEntry> Entries { get; } = [];

    /// <summary>The last value of a key (later lines override earlier ones and templates).</summary>
    public ConfEntry? Last(string key) => Entries.LastOrDefault(e => string.Equals(e.Key, key, StringComparison.OrdinalIgnoreCase));

    public string? Value(string key) => Last(key)?.Value;
}

/// <summary>
/// A small reader of Asterisk's configuration syntax (main/config.c): <c>;</c> comments (<c>\;</c>
/// is a literal semicolon), <c>[section](!,template)</c> headers, <c>key = value</c> and
/// <c>key =&gt; value</c> lines, and <c>#include</c> (relative to the file's directory). Sections of
/// one name may repeat (pjsip.conf gives endpoint, aor and identify one name).
/// </summary>
internal sealed class ConfFile
{
    private const int MaxIncludeDepth = 8;

    private ConfFile(string path, List<ConfSection> sections)
    {
        Path = path;
        Sections = sections;
    }

    public string Path { get; }

    public IReadOnlyList<ConfSection> Sections { get; }

    public IEnumerable<ConfSection> Named(string name) =>
        Sections.Where(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads <paramref name="path"/>; syntax problems become findings, never exceptions.</summary>
    public static ConfFile Load(string path, Findings findings)
    {
        var sections = new List<ConfSection>();
        Read(path, sections, findings, depth: 0);
        foreach (var section in sections)
        {
            foreach (var template in section.Templates)
            {
                var source = sections.TakeWhile(s => s != section).LastOrDefault(s => string.Equals(s.Name, template, StringComparison.OrdinalIgnoreCase));
                if (source is null)
                {
                    findings.Error(section.File, section.Line, $"[{section.Name}] inherits from [{template}], which is not defined before it");
                    continue;
                }
                section.Entries.AddRange(source.Entries);
            }
            section.Entries.AddRange(section.Own);
        }
        return new ConfFile(path, sections);
    }

    private static void Read(string path, List<ConfSection> sections, Findings findings, int depth)
    {
        string[] lines;
        try
        {
            lines = System.IO.File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            findings.Error(path, 0, $"cannot read: {ex.Message}");
            return;
        }

        ConfSection? current = sections.LastOrDefault();
        for (var i = 0; i < lines.Length; i++)
        {
            var number = i + 1;
            var text = StripComment(lines[i]).Trim();
            if (text.Length == 0) continue;

            if (text.StartsWith("#include", StringComparison.OrdinalIgnoreCase) || text.StartsWith("#tryinclude", StringComparison.OrdinalIgnoreCase))
            {
                var target = text[(text.IndexOf(' ') + 1)..].Trim().Trim('"', '<', '>');
                if (depth >= MaxIncludeDepth)
                {
                    findings.Error(path, number, $"#include {target}: includes nested deeper than {MaxIncludeDepth}");
                    continue;
                }
                var full = System.IO.Path.IsPathRooted(target) ? target : System.IO.Path.Combine(System.IO.Path.GetDirectoryName(path) ?? ".", target);
                if (System.IO.File.Exists(full)) Read(full, sections, findings, depth + 1);
                else if (System.IO.File.Exists(full + ".in")) Read(full + ".in", sections, findings, depth + 1);
                else if (!text.StartsWith("#tryinclude", StringComparison.OrdinalIgnoreCase)) findings.Error(path, number, $"#include {target}: no such file");
                current = sections.LastOrDefault();
                continue;
            }

            if (text[0] == '[')
            {
                var close = text.IndexOf(']');
                if (close < 2)
                {
                    findings.Error(path, number, $"malformed section header '{text}'");
                    current = null;
                    continue;
                }
                var name = text[1..close].Trim();
                var options = new List<string>();
                var rest = text[(close + 1)..].Trim();
                if (rest.StartsWith('(') && rest.EndsWith(')'))
                {
                    options.AddRange(rest[1..^1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
                }
                else if (rest.Length > 0)
                {
                    findings.Error(path, number, $"unexpected text after section header: '{rest}'");
                }
                current = new ConfSection(name, path, number, options.Contains("!"), options.Where(o => o != "!" && o != "+").ToList());
                sections.Add(current);
                continue;
            }

            var equals = text.IndexOf('=');
            if (equals <= 0)
            {
                findings.Error(path, number, $"expected 'key = value', found '{text}'");
                continue;
            }
            if (current is null)
            {
                findings.Error(path, number, "setting outside of any [section]");
                continue;
            }
            var key = text[..equals].Trim();
            var valueStart = equals + 1 < text.Length && text[equals + 1] == '>' ? equals + 2 : equals + 1;
            current.Own.Add(new ConfEntry(key, text[valueStart..].Trim().Replace("\\;", ";", StringComparison.Ordinal), path, number));
        }
    }

    /// <summary>Cuts a line at the first <c>;</c> that is not escaped as <c>\;</c>.</summary>
    private static string StripComment(string line)
    {
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == ';' && (i == 0 || line[i - 1] != '\\')) return line[..i];
        }
        return line;
    }
}
