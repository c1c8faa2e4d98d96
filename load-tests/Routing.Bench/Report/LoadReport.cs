using System.Text;
using Routing.Bench.Load;
using static Routing.Bench.Report.Figures;

namespace Routing.Bench.Report;

/// <summary>The plain-text account of one load run.</summary>
public static class LoadReport
{
    public static string Write(LoadResult r)
    {
        var text = new StringBuilder();
        text.AppendLine($"== Load run: simulator {r.Placement}, ARI REST over {r.Spec.Transport}, {r.Spec.Calls} calls at {N(r.Spec.Rate, "0.#")}/s, limit {N(r.Spec.TimeLimit.TotalSeconds, "0")} s ==");
        if (!r.Ran)
        {
            text.AppendLine($"NOT RUN: {r.NotRun}");
            return text.ToString();
        }

        text.AppendLine($"Calls placed {r.Placed}, caller channels ended {r.Ended}; arrivals over {N(r.ArrivalSpan.TotalSeconds, "0.00")} s ({N(r.ArrivalRate, "0.0")} calls/s offered).");
        text.AppendLine($"Sustained: {N(r.CallsPerSecond, "0.0")} calls/s routed as scripted (calls with the expected outcome per second of arrivals; equals the offered rate when every call came out right).");
        text.AppendLine($"Last caller hung up {N(r.Window.TotalSeconds, "0.00")} s after the first arrival (scripted calls last 0.3-2.5 s); engine idle and ledger flushed after {N(r.MeasuredFor.TotalSeconds, "0.00")} s.");
        text.AppendLine();

        var outcomes = new TextTable("caller kind", "calls", "expected outcome", "as expected", "other outcomes (ledger)");
        foreach (var k in r.Kinds)
        {
            var others = string.Join(", ", k.Outcomes.Where(o => o.Key != k.Expected).Select(o => $"{o.Key} {o.Value}"));
            outcomes.Row(k.Kind.ToString(), k.Calls.ToString(), k.Expected, k.AsExpected.ToString(), others.Length == 0 ? "-" : others);
        }

        text.Append(outcomes);
        text.AppendLine();
        var latency = new TextTable("arrival -> agency answer (ms, ledger)", "n", "p50", "p95", "p99", "max");
        foreach (var (label, l) in r.AnswerLatency)
            latency.Row(label, l?.Count.ToString() ?? "0", l is null ? "n/a" : Ms(l.P50), l is null ? "n/a" : Ms(l.P95), l is null ? "n/a" : Ms(l.P99), l is null ? "n/a" : Ms(l.Max));
        text.Append(latency);
        text.AppendLine();

        var sim = r.Simulator!;
        var cost = new TextTable("figure", "value");
        cost.Row("ARI REST requests per call", N(r.RequestsPerCall, "0.00"));
        cost.Row("ARI REST requests/s (over the window)", N(r.RequestsPerSecond, "0"));
        cost.Row("ARI events sent per call", N((double)sim.AriEventsSent / Math.Max(1, r.Placed), "0.0"));
        cost.Row(r.SimulatorProcessCpu is null ? "process CPU per call (engine + in-process simulator + driver)" : "engine process CPU per call (engine + load driver)", Ms(r.EngineCpuPerCallMs) + " ms");
        if (r.SimulatorCpuPerCallMs is { } simCpu) cost.Row("simulator process CPU per call (\"Asterisk\")", Ms(simCpu) + " ms");
        cost.Row(r.SimulatorProcessCpu is null ? "GC allocated per call (engine + simulator)" : "GC allocated per call (engine process)", Kb(r.AllocatedPerCall));
        cost.Row("peak working set (sampled every 100 ms)", Mb(r.PeakWorkingSet) + (r.SimulatorPeakWorkingSet is { } ws ? $" (simulator {Mb(ws)})" : ""));
        cost.Row("ledger late writes (past 250 ms; still written)", r.LedgerLate.ToString());
        cost.Row("ledger failed batches / queue full", $"{r.LedgerFailures} / {r.LedgerQueueFull}");
        cost.Row("engine warnings / errors logged (incl. warm-up)", $"{r.EngineWarnings} / {r.EngineErrors}");
        if (r.EngineCounters is { } c)
            cost.Row("engine /metrics: ARI events lost / frames rejected / reconnects / unowned events", $"{c.EventsLost:0} / {c.FramesRejected:0} / {c.Connections:0} / {c.Unowned:0}");
        cost.Row("simulator: fallback dials / socket overflows / internal errors", $"{sim.FallbackDials} / {sim.EventSocketsOverflowed} / {sim.InternalErrors}");
        text.Append(cost);
        foreach (var w in r.FirstWarnings) text.AppendLine($"  first warnings: {w}");

        if (r.UnexpectedCount > 0)
        {
            text.AppendLine($"Unexpected outcomes: {r.UnexpectedCount}");
            foreach (var u in r.Unexpected) text.AppendLine("  " + u);
        }

        text.AppendLine(r.LostCount == 0
            ? "Calls without an outcome: 0 (every call placed reached an outcome in the ledger)"
            : Loud($"{r.LostCount} CALL(S) LOST OR STUCK (no outcome within the limit)", r.Lost));
        return text.ToString();
    }

    public static string Loud(string headline, IEnumerable<string> details)
    {
        var text = new StringBuilder();
        var bar = new string('!', Math.Min(100, headline.Length + 8));
        text.AppendLine(bar).AppendLine($"!!! {headline} !!!").AppendLine(bar);
        foreach (var d in details) text.AppendLine("  " + d);
        return text.ToString();
    }
}
