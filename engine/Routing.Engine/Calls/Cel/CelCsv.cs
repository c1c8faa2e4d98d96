using System.Text;

namespace Routing.Engine.Calls.Cel;

/// <summary>One line of Asterisk's cel_custom / cdr_csv output: comma-separated fields, each quoted by
/// CSV_QUOTE (inner quotes doubled). Unquoted fields are taken as they are. Pure and bounded.</summary>
internal static class CelCsv
{
    /// <summary>A CEL line is a few hundred bytes; a longer one is not ours.</summary>
    public const int MaxLineLength = 16 * 1024;

    public static bool TryParseLine(string line, out List<string> fields, out string? error)
    {
        fields = [];
        error = null;
        if (line.Length > MaxLineLength)
        {
            error = $"line of {line.Length} characters is longer than {MaxLineLength}";
            return false;
        }

        var field = new StringBuilder();
        var i = 0;
        while (true)
        {
            field.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        error = $"quoted field {fields.Count + 1} is not closed";
                        return false;
                    }

                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    field.Append(line[i++]);
                }

                if (i < line.Length && line[i] != ',')
                {
                    error = $"field {fields.Count + 1} has text after its closing quote";
                    return false;
                }
            }
            else
            {
                while (i < line.Length && line[i] != ',') field.Append(line[i++]);
            }

            fields.Add(field.ToString());
            if (i >= line.Length) return true;
            i++; // the comma
        }
    }
}
