using System.Text;

namespace Routing.Bench.Report;

/// <summary>A pipe table that reads as plain text and pastes into markdown (load-tests/README.md) as is.</summary>
public sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> rows = [];

    public TextTable Row(params string[] cells)
    {
        if (cells.Length != headers.Length) throw new ArgumentException($"row has {cells.Length} cells, table has {headers.Length} columns");
        rows.Add(cells);
        return this;
    }

    public override string ToString()
    {
        var widths = headers.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var text = new StringBuilder();
        Line(text, headers, widths);
        text.Append('|');
        foreach (var width in widths) text.Append(new string('-', width + 2)).Append('|');
        text.AppendLine();
        foreach (var row in rows) Line(text, row, widths);
        return text.ToString();
    }

    private static void Line(StringBuilder text, string[] cells, int[] widths)
    {
        text.Append('|');
        for (var i = 0; i < cells.Length; i++) text.Append(' ').Append(cells[i].PadRight(widths[i])).Append(" |");
        text.AppendLine();
    }
}
