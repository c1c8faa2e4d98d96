using System.Text;
using Routing.Bench.Load;
using static Routing.Bench.Report.Figures;

namespace Routing.Bench.Report;

/// <summary>
/// The speed and memory targets of load-tests/README.md, checked against a run and printed. Only a
/// lost call fails the bench; a missed target is printed as OVER for a person to judge, because
/// timings on a shared 2-core box are figures, not verdicts.
/// </summary>
public static class Targets
{
    public const double DirectAnswerP99Ms = 150;
    public const double EngineCpuPerCallMs = 10;
    public const double EngineAllocatedPerCallBytes = 1024 * 1024;

    public static string Write(LoadResult run)
    {
        var table = new TextTable("target", "limit", $"measured ({run.Spec.Name}, simulator {run.Placement})", "");
        void Check(string what, string limit, string measured, bool ok) => table.Row(what, limit, measured, ok ? "ok" : "OVER");

        Check("calls without an outcome", "0", run.LostCount.ToString(), run.LostCount == 0);
        var direct = run.AnswerLatency.FirstOrDefault(l => l.Label.StartsWith("direct", StringComparison.Ordinal)).Summary;
        Check("direct 101-104 arrival -> answer p99", $"{DirectAnswerP99Ms:0} ms", direct is null ? "n/a" : Ms(direct.P99) + " ms", direct is not null && direct.P99 <= DirectAnswerP99Ms);
        if (run.SimulatorProcessCpu is not null)
        {
            Check("engine process CPU per call", $"{EngineCpuPerCallMs:0} ms", Ms(run.EngineCpuPerCallMs) + " ms", run.EngineCpuPerCallMs <= EngineCpuPerCallMs);
            Check("engine GC allocated per call", Kb(EngineAllocatedPerCallBytes), Kb(run.AllocatedPerCall), run.AllocatedPerCall <= EngineAllocatedPerCallBytes);
        }

        Check("ledger late writes", "0", run.LedgerLate.ToString(), run.LedgerLate == 0);
        return new StringBuilder()
            .AppendLine("== Targets (load-tests/README.md; only a lost call fails the run) ==")
            .Append(table)
            .ToString();
    }
}
