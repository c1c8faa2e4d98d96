using System.Text.Json;

namespace Routing.Checks.Settings;

/// <summary>
/// Where each key of a JSON file is, by configuration path (<c>Routing:Regions:almaty:Trunks:police:0</c>,
/// case-insensitive as in Microsoft.Extensions.Configuration), so a finding about a setting can
/// name the line to edit. Built with <see cref="Utf8JsonReader"/>, which knows byte offsets.
/// </summary>
internal sealed class JsonLineIndex
{
    private readonly Dictionary<string, int> _lines;

    private JsonLineIndex(Dictionary<string, int> lines) => _lines = lines;

    /// <summary>Reads the whole document; throws <see cref="JsonException"/> (with line and
    /// position) when it is not valid JSON.</summary>
    public static JsonLineIndex Build(ReadOnlySpan<byte> utf8)
    {
        var lineStarts = LineStarts(utf8);
        var lines = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        });
        var frames = new Stack<Frame>();
        while (reader.Read())
        {
            var line = LineOf(lineStarts, reader.TokenStartIndex);
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    var path = ValuePath(frames);
                    lines.TryAdd(path, line);
                    frames.Push(new Frame(path, reader.TokenType == JsonTokenType.StartArray));
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    frames.Pop();
                    break;
                case JsonTokenType.PropertyName:
                    var top = frames.Peek();
                    top.Property = reader.GetString() ?? "";
                    lines.TryAdd(Join(top.Path, top.Property), line);
                    break;
                default:
                    lines.TryAdd(ValuePath(frames), line);
                    break;
            }
        }
        return new JsonLineIndex(lines);
    }

    /// <summary>Line of the key, or of its nearest parent present in the file; 1 when none is.</summary>
    public int LineOf(string path)
    {
        var current = path;
        while (current.Length > 0)
        {
            if (_lines.TryGetValue(current, out var line)) return line;
            var cut = current.LastIndexOf(':');
            current = cut < 0 ? "" : current[..cut];
        }
        return 1;
    }

    public bool Contains(string path) => _lines.ContainsKey(path);

    /// <summary>The path of the value that starts now: the pending property of an object, or
    /// the next index of an array (which this call consumes).</summary>
    private static string ValuePath(Stack<Frame> frames)
    {
        if (frames.Count == 0) return "";
        var top = frames.Peek();
        if (!top.IsArray) return Join(top.Path, top.Property);
        return Join(top.Path, (top.NextIndex++).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string Join(string parent, string key) => parent.Length == 0 ? key : parent + ":" + key;

    private static List<long> LineStarts(ReadOnlySpan<byte> utf8)
    {
        var starts = new List<long> { 0 };
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n') starts.Add(i + 1);
        }
        return starts;
    }

    private static int LineOf(List<long> lineStarts, long offset)
    {
        var index = lineStarts.BinarySearch(offset);
        return (index >= 0 ? index : ~index - 1) + 1;
    }

    private sealed class Frame(string path, bool isArray)
    {
        public string Path { get; } = path;

        public bool IsArray { get; } = isArray;

        public string Property { get; set; } = "";

        public int NextIndex { get; set; }
    }
}
