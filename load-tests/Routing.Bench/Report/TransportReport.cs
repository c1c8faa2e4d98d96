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
    /// <summary>A difference is "clear" only above this share of the Http figure and above the spread
    /// between runs of the same transport (the run-to-run noise actually seen on this box).</summary>
    private const double Margin = 0.10;

    public static string Write(TransportSide http, TransportSide webSocket)
    {
        var text = new StringBuilder();
        if (http.Runs.Concat(webSocket.Runs).FirstOrDefault() is not { } first)
            return "== ARI REST transport: Http vs WebSocket ==\nNo transport run finished; see the failures below.\n";
        var rounds = Math.Max(http.Runs.Count, webSocket.Runs.Count);
        text.AppendLine($"== ARI REST transport: Http vs WebSocket (simulator in a child process; {first.Spec.Calls} calls at {N(first.Spec.Rate, "0.#")}/s per run; "
                        + $"{rounds} run(s) each, ordered {(rounds > 1 ? "Http, WebSocket, WebSocket, Http, ..." : "Http, WebSocket")}) ==");
        var table = new TextTable("figure (mean over runs; [min-max])", "Http", "WebSocket");
        void Row(string label, Func<TransportSide, string> value) =>
            table.Row(label, http.Ran ? value(http) : "not run", webSocket.Ran ? value(webSocket) : "not supported by the simulator");

        Row("simulator (\"Asterisk\") CPU per call", s => Ms(s.SimulatorCpuMs, " ms"));
        Row("engine process CPU per call", s => Ms(s.EngineCpuMs, " ms"));
        Row("total CPU per call", s => Ms(s.TotalCpuMs, " ms"));
        Row("arrival->answer p50/p95/p99/max, all answered", s => Latency(s.Answers) + " ms");
        Row("arrival->answer p50/p95/p99/max, direct", s => Latency(s.DirectAnswers) + " ms");
        Row("ARI REST requests per call", s => N(s.Runs.Average(r => r.RequestsPerCall), "0.00"));
        Row("ARI REST requests/s", s => N(s.Runs.Average(r => r.RequestsPerSecond), "0"));
        Row("calls/s sustained", s => N(s.Runs.Average(r => r.CallsPerSecond), "0.0"));
        Row("GC allocated per call, engine", s => Kb(s.AllocatedPerCall.Mean));
        Row("peak working set engine / simulator", s => $"{Mb(s.Runs.Max(r => r.PeakWorkingSet))} / {Mb(s.Runs.Max(r => r.SimulatorPeakWorkingSet ?? 0))}");
        Row("ledger late writes", s => s.Runs.Sum(r => r.LedgerLate).ToString());
        Row("calls without an outcome", s => s.Lost.ToString());
        text.Append(table);
        foreach (var side in new[] { http, webSocket }.Where(s => !s.Ran)) text.AppendLine($"{side.Transport}: {side.NotRun}");
        text.AppendLine();
        text.AppendLine("Recommendation: " + Recommend(http, webSocket));
        return text.ToString();
    }

    public static string Recommend(TransportSide http, TransportSide webSocket)
    {
        if (!http.Ran) return $"none: the Http run did not run ({http.NotRun}).";
        if (!webSocket.Ran)
            return "keep Http as the default. REST over WebSocket could not be measured here (" + webSocket.NotRun +
                   "), so there is no figure to justify a change.";
        if (http.Lost > 0 || webSocket.Lost > 0)
            return $"none: calls were lost (Http {http.Lost}, WebSocket {webSocket.Lost}); fix that before choosing a transport.";

        var pbx = Compare(http.SimulatorCpuMs, webSocket.SimulatorCpuMs);
        var engine = Compare(http.EngineCpuMs, webSocket.EngineCpuMs);
        var p95Http = http.Answers?.P95 ?? 0;
        var p95Ws = webSocket.Answers?.P95 ?? 0;
        var latencyWorse = p95Ws - p95Http > Math.Max(Margin * p95Http, 5);
        var facts = $"WebSocket vs Http: PBX-side (simulator) CPU/call {pbx.Text}, engine CPU/call {engine.Text}, answer p95 {Signed(Relative(p95Ws, p95Http))}";

        if (http.Runs.Count < 2 || webSocket.Runs.Count < 2)
            return $"not decided: one run per transport cannot tell a difference from run-to-run noise (the first run in a process also pays for the JIT). " +
                   $"Run the full `make bench` (two rounds, Http/WebSocket/WebSocket/Http) to decide. Seen here: {facts}.";
        if (pbx.Sign > 0 || engine.Sign > 0 || latencyWorse)
            return $"keep Http as the default ({facts}): REST over WebSocket is clearly worse on at least one of them.";
        if (pbx.Sign < 0 || engine.Sign < 0)
            return $"make WebSocket the default ({facts}): clearly cheaper where marked, no worse elsewhere. Keep Http for Asterisk older than " +
                   "20.14/21.9/22.4, and confirm the PBX-side figure on a real Asterisk (load-tests/sipp): the simulator is not Asterisk.";
        return $"keep Http as the default ({facts}): no difference clears the noise (the larger of {N(Margin * 100, "0")} % and the spread between runs), " +
               "as the reference clients also found; Http works with every Asterisk and keeps REST usable while the event websocket reconnects.";
    }

    /// <summary>WebSocket against Http: -1 clearly lower, +1 clearly higher, 0 within the noise.</summary>
    private static (int Sign, string Text) Compare(Spread http, Spread webSocket)
    {
        var noise = Math.Max(Margin * http.Mean, Math.Max(http.Range, webSocket.Range));
        var diff = webSocket.Mean - http.Mean;
        var sign = diff < -noise ? -1 : diff > noise ? 1 : 0;
        return (sign, $"{Signed(Relative(webSocket.Mean, http.Mean))} ({(sign == 0 ? "within noise" : "clear")}, noise ±{Figures.Ms(noise)} ms)");
    }

    private static string Ms(Spread s, string unit) =>
        s.Runs > 1 ? $"{Figures.Ms(s.Mean)}{unit} [{Figures.Ms(s.Min)}-{Figures.Ms(s.Max)}]" : Figures.Ms(s.Mean) + unit;

    private static double Relative(double value, double baseline) => baseline == 0 ? 0 : (value - baseline) / baseline;

    private static string Signed(double relative) => (relative >= 0 ? "+" : "") + N(relative * 100, "0") + " %";
}
