namespace Routing.Checks.Asterisk;

/// <summary>One priority of an extension: <c>exten =&gt; 112,1,Stasis(routing112,112)</c> or a
/// following <c>same =&gt; n(fallback),Gosub(...)</c>.</summary>
internal sealed record DialplanStep(string Context, string Extension, string Priority, string? Label, string App, string Data, string File, int Line)
{
    /// <summary>The application's arguments split on commas that are not inside parentheses,
    /// brackets or quotes (how Asterisk's AST_STANDARD_APP_ARGS sees them).</summary>
    public IReadOnlyList<string> Args => SplitArgs(Data);

    public bool Is(string app) => string.Equals(App, app, StringComparison.OrdinalIgnoreCase);

    internal static IReadOnlyList<string> SplitArgs(string data)
    {
        var args = new List<string>();
        var depth = 0;
        var quoted = false;
        var start = 0;
        for (var i = 0; i < data.Length; i++)
        {
            var c = data[i];
            if (c == '"') quoted = !quoted;
            else if (!quoted && c is '(' or '[' or '{') depth++;
            else if (!quoted && c is ')' or ']' or '}') depth--;
            else if (!quoted && depth == 0 && c == ',')
            {
                args.Add(data[start..i].Trim());
                start = i + 1;
            }
        }
        args.Add(data[start..].Trim());
        return args;
    }
}

/// <summary>extensions.conf as contexts of extensions of steps.</summary>
internal sealed class Dialplan
{
    private static readonly HashSet<string> NotContexts = new(StringComparer.OrdinalIgnoreCase) { "general", "globals" };

    private Dialplan(ConfFile file, Dictionary<string, ConfSection> contexts, List<DialplanStep> steps)
    {
        File = file;
        Contexts = contexts;
        Steps = steps;
    }

    public ConfFile File { get; }

    public IReadOnlyDictionary<string, ConfSection> Contexts { get; }

    public IReadOnlyList<DialplanStep> Steps { get; }

    public ConfSection? Globals => File.Named("globals").LastOrDefault();

    public static Dialplan Parse(ConfFile file, Findings findings)
    {
        var contexts = new Dictionary<string, ConfSection>(StringComparer.OrdinalIgnoreCase);
        var steps = new List<DialplanStep>();
        foreach (var section in file.Sections.Where(s => !NotContexts.Contains(s.Name)))
        {
            contexts.TryAdd(section.Name, section);
            string? extension = null;
            foreach (var entry in section.Own)
            {
                if (entry.Key.Equals("include", StringComparison.OrdinalIgnoreCase) || entry.Key.Equals("switch", StringComparison.OrdinalIgnoreCase)) continue;
                var isExten = entry.Key.Equals("exten", StringComparison.OrdinalIgnoreCase);
                if (!isExten && !entry.Key.Equals("same", StringComparison.OrdinalIgnoreCase))
                {
                    findings.Error(entry.File, entry.Line, $"[{section.Name}]: unknown dialplan keyword '{entry.Key}'");
                    continue;
                }
                var rest = entry.Value;
                if (isExten)
                {
                    var comma = rest.IndexOf(',');
                    if (comma <= 0)
                    {
                        findings.Error(entry.File, entry.Line, $"[{section.Name}]: 'exten => {rest}' has no priority");
                        continue;
                    }
                    extension = rest[..comma].Trim();
                    rest = rest[(comma + 1)..];
                }
                else if (extension is null)
                {
                    findings.Error(entry.File, entry.Line, $"[{section.Name}]: 'same =>' before any 'exten =>'");
                    continue;
                }

                var priorityEnd = rest.IndexOf(',');
                if (priorityEnd <= 0)
                {
                    findings.Error(entry.File, entry.Line, $"[{section.Name}]: '{entry.Value}' has no application");
                    continue;
                }
                var priority = rest[..priorityEnd].Trim();
                string? label = null;
                var open = priority.IndexOf('(');
                if (open > 0 && priority.EndsWith(')'))
                {
                    label = priority[(open + 1)..^1];
                    priority = priority[..open];
                }
                if (extension.Contains("/hint", StringComparison.OrdinalIgnoreCase) || priority.Equals("hint", StringComparison.OrdinalIgnoreCase)) continue;

                var application = rest[(priorityEnd + 1)..].Trim();
                var paren = application.IndexOf('(');
                var app = paren < 0 ? application : application[..paren].Trim();
                var data = paren < 0 ? "" : application[(paren + 1)..].TrimEnd();
                if (paren >= 0)
                {
                    if (!data.EndsWith(')'))
                    {
                        findings.Error(entry.File, entry.Line, $"[{section.Name}]: {app}( is not closed");
                        continue;
                    }
                    data = data[..^1];
                }
                steps.Add(new DialplanStep(section.Name, extension, priority, label, app, data, entry.File, entry.Line));
            }
        }
        return new Dialplan(file, contexts, steps);
    }

    public IEnumerable<DialplanStep> InContext(string context) =>
        Steps.Where(s => string.Equals(s.Context, context, StringComparison.OrdinalIgnoreCase));

    /// <summary>Steps of the first extension in <paramref name="context"/> that Asterisk would
    /// run for <paramref name="number"/>: an exact match before patterns.</summary>
    public IReadOnlyList<DialplanStep> ExtensionFor(string context, string number)
    {
        var steps = InContext(context).ToList();
        var exact = steps.Where(s => !s.Extension.StartsWith('_') && s.Extension == number).ToList();
        if (exact.Count > 0) return exact;
        var pattern = steps.FirstOrDefault(s => s.Extension.StartsWith('_') && ExtensionPattern.Matches(s.Extension, number));
        return pattern is null ? [] : steps.Where(s => s.Extension == pattern.Extension).ToList();
    }
}
