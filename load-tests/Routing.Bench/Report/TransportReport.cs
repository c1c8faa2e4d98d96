using System.Text;
using Routing.Bench.Load;
using static Routing.Bench.Report.Figures;

namespace Routing.Bench.Report;

/// <summary>
/// Http vs WebSocket side by side (simulator in a child process, so its CPU — the stand-in for
/// Asterisk's — is apart from the engine's), and the recommendation the figures support.
/// </summary>
public static class TransportReport
{
    /// <summary>A difference smaller than this (relative) is treated as no difference: runs on a
    /// shared 2-core box vary by about that much from one run to the next.</summary>
    private const double Margin = 0.10;

    public static string Write(LoadResult http, LoadResult webSocket)
    {
        var text = new StringBuilder();
        text.AppendLine($"== ARI REST transport: Http vs WebSocket (simulator in a child process, {http.Spec.Calls} calls at {N(http.Spec.Rate, "0.#")}/s each) ==");
        var table = new TextTable("figure", "Http", "WebSocket");
        string Cell(LoadResult r, Func<LoadResult, string> value) => r.Ran ? value(r) : "not supported by the simulator";
        void Row(string label, Func<LoadResult, string> value) => table.Row(label, Cell(http, value), Cell(webSocket, value));

        Row("simulator (\"Asterisk\") CPU per call", r => Ms(r.SimulatorCpuPerCallMs ?? 0) + " ms");
        Row("engine process CPU per call", r => Ms(r.EngineCpuPerCallMs) + " ms");
        Row("total CPU per call", r => Ms((r.SimulatorCpuPerCallMs ?? 0) + r.EngineCpuPerCallMs) + " ms");
        Row("arrival->answer p50/p95/p99/max, all answered", r => Latency(r.AllAnswers) + " ms");
        Row("arrival->answer p50/p95/p99/max, direct", r => Latency(r.AnswerLatency.FirstOrDefault(l => l.Label.StartsWith("direct", StringComparison.Ordinal)).Summary) + " ms");
        Row("ARI REST requests per call", r => N(r.RequestsPerCall, "0.00"));
        Row("ARI REST requests/s", r => N(r.RequestsPerSecond, "0"));
        Row("calls/s sustained", r => N(r.CallsPerSecond, "0.0"));
        Row("GC allocated per call, engine", r => Kb(r.AllocatedPerCall));
        Row("peak working set engine / simulator", r => $"{Mb(r.PeakWorkingSet)} / {Mb(r.SimulatorPeakWorkingSet ?? 0)}");
        Row("ledger late writes", r => r.LedgerLate.ToString());
        Row("calls without an outcome", r => r.LostCount.ToString());
        text.Append(table);
        foreach (var r in new[] { http, webSocket }.Where(r => !r.Ran)) text.AppendLine($"{r.Spec.Transport}: {r.NotRun}");
        text.AppendLine();
        text.AppendLine("Recommendation: " + Recommend(http, webSocket));
        return text.ToString();
    }

    public static string Recommend(LoadResult http, LoadResult webSocket)
    {
        if (!http.Ran) return $"none: the Http run did not run ({http.NotRun}).";
        if (!webSocket.Ran)
            return "keep Http as the default. REST over WebSocket could not be measured here (" + webSocket.NotRun +
                   "), so there is no figure to justify a change; re-run `make bench` once the simulator answers RESTRequest messages.";
        if (http.LostCount > 0 || webSocket.LostCount > 0)
            return $"none: calls were lost (Http {http.LostCount}, WebSocket {webSocket.LostCount}); fix that before choosing a transport.";

        var asterisk = Relative(webSocket.SimulatorCpuPerCallMs ?? 0, http.SimulatorCpuPerCallMs ?? 0);
        var engine = Relative(webSocket.EngineCpuPerCallMs, http.EngineCpuPerCallMs);
        var p95 = Relative(webSocket.AllAnswers?.P95 ?? 0, http.AllAnswers?.P95 ?? 0);
        var facts = $"WebSocket vs Http: simulator CPU/call {Signed(asterisk)}, engine CPU/call {Signed(engine)}, answer p95 {Signed(p95)}";
        if (asterisk < -Margin && p95 <= Margin && engine <= Margin)
            return $"make WebSocket the default ({facts}): it is cheaper for the PBX side and no slower. Note the simulator is not Asterisk: confirm on a real Asterisk (load-tests/sipp) before switching production.";
        if (asterisk > Margin && p95 >= -Margin)
            return $"keep Http as the default ({facts}): REST over WebSocket costs the PBX side more.";
        return $"keep Http as the default ({facts}): the difference is within {N(Margin * 100, "0")} % run-to-run noise, " +
               "and Http works with every Asterisk, while REST over WebSocket needs 20.14+/21.9+/22.4+. Neither transport is clearly cheaper here either.";
    }

    private static double Relative(double value, double baseline) => baseline == 0 ? 0 : (value - baseline) / baseline;

    private static string Signed(double relative) => (relative >= 0 ? "+" : "") + N(relative * 100, "0") + " %";
}
