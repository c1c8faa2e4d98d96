using System.Globalization;
using Routing.Bench.Load;

namespace Routing.Bench.Report;

/// <summary>How numbers are written in the report: invariant culture, units in the text.</summary>
public static class Figures
{
    public static string N(double value, string format = "0.0") => value.ToString(format, CultureInfo.InvariantCulture);

    public static string Ms(double value) => N(value, value < 10 ? "0.00" : "0.0");

    public static string Mb(long bytes) => N(bytes / (1024.0 * 1024.0), "0.0") + " MB";

    public static string Kb(double bytes) => N(bytes / 1024.0, "0.0") + " KB";

    public static string Latency(LatencySummary? l) =>
        l is null ? "n/a" : $"{Ms(l.P50)} / {Ms(l.P95)} / {Ms(l.P99)} / {Ms(l.Max)}";
}
