using System.Globalization;

namespace Routing.Engine.Calls.Cel;

/// <summary>One CEL event as our <c>cel_custom.conf</c> mapping writes it (dialplans/cel_custom.conf;
/// the same 20 columns as the recording in tests/fixtures/asterisk-traces/turn2/cdr-cel-app-down.cel-rows.csv).</summary>
internal sealed record CelRow(
    string EventType,
    DateTimeOffset EventTime,
    string CallerIdName,
    string CallerIdNumber,
    string Exten,
    string Context,
    string Channel,
    string AppName,
    string AppData,
    string UniqueId,
    string LinkedId,
    string BridgePeer,
    string UserDefinedType,
    string EventExtra)
{
    public const int ColumnCount = 20;

    /// <param name="offset">The UTC offset of times written without one (cel.conf <c>dateformat</c>
    /// without %z: Asterisk writes local time).</param>
    public static bool TryFrom(IReadOnlyList<string> f, TimeSpan offset, out CelRow? row, out string? error)
    {
        row = null;
        if (f.Count != ColumnCount)
        {
            error = $"{f.Count} columns where the cel_custom mapping writes {ColumnCount}";
            return false;
        }

        if (!TryTime(f[1], offset, out var at))
        {
            error = $"eventtime '{Routing.Calls.Routing.CallerText.CleanText(f[1], 40)}' is not 'yyyy-MM-dd HH:mm:ss[.fff][ zzz]'";
            return false;
        }

        if (f[0].Length == 0 || f[14].Length == 0 || f[15].Length == 0)
        {
            error = "eventtype, uniqueid or linkedid is empty";
            return false;
        }

        row = new CelRow(f[0], at, f[2], f[3], f[7], f[8], f[9], f[10], f[11], f[14], f[15], f[16], f[18], f[19]);
        error = null;
        return true;
    }

    private static readonly string[] Formats =
    [
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFF", "yyyy-MM-dd HH:mm:ss zzz", "yyyy-MM-dd HH:mm:ss.FFFFFF zzz",
        "yyyy-MM-dd HH:mm:sszzz", "yyyy-MM-ddTHH:mm:ss.FFFFFFzzz", "yyyy-MM-ddTHH:mm:sszzz",
    ];

    private static bool TryTime(string text, TimeSpan offset, out DateTimeOffset at)
    {
        // zzz accepts +05:00; Asterisk's %z writes +0500.
        var normalised = text.Length > 5 && (text[^5] is '+' or '-') && text[^4..].All(char.IsAsciiDigit)
            ? text[..^2] + ":" + text[^2..]
            : text;
        foreach (var format in Formats)
        {
            if (!format.Contains("zzz", StringComparison.Ordinal))
            {
                if (DateTime.TryParseExact(normalised, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
                {
                    at = new DateTimeOffset(local, offset);
                    return true;
                }
            }
            else if (DateTimeOffset.TryParseExact(normalised, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out at))
            {
                return true;
            }
        }

        at = default;
        return false;
    }
}
