using System.Globalization;
using System.Text;
using Routing.Bench.Report;

namespace Routing.Bench.Centre;

/// <summary>The call-taker centre's figures: the pick at size, and a simulated Kazakh city day per staffing level.</summary>
public static class CentreReport
{
    private static readonly int[] Staffing = [6, 8, 10, 12, 14, 16];
    private static readonly TimeSpan LanguageWait = TimeSpan.FromSeconds(20);

    public static string Run(bool quick)
    {
        var text = new StringBuilder();
        var rounds = quick ? 5_000 : 20_000;
        var pick = CentrePickBench.Run(rounds, warmUp: quick ? 1_000 : 3_000);
        text.AppendLine($"== Call-taker centre at size: {CentrePickBench.Positions} call-takers, {CentrePickBench.Waiting} callers waiting ({pick.Rounds} measured rounds, Stopwatch, virtual clock) ==");
        text.AppendLine("A round: a call-taker becomes ready and is offered the next call (the pick), answers, a new caller arrives, timers tick.");
        text.AppendLine($"Wall-clock per input, so a busy box shows in p99/max (load average now: {LoadAverage()}).");
        var table = new TextTable("input", "p50", "p99", "max");
        Row(table, "pick: ready → next call + call-taker (Resume)", pick.Pick);
        Row(table, "offer answered (OfferAnswered)", pick.Answer);
        Row(table, "caller arrives, all busy (Enqueue)", pick.Arrival);
        Row(table, "timers (Tick, 50 ms of virtual time)", pick.Tick);
        text.Append(table);
        text.AppendLine($"memory per waiting call: {pick.BytesPerWaitingCall.ToString("0", CultureInfo.InvariantCulture)} bytes (GC heap growth over {CentrePickBench.Waiting} enqueued callers, timers and queue nodes included); target for the pick: p99 < 1 ms: {(pick.Pick.P99 < 1000 ? "met" : "NOT met")}");
        text.AppendLine();

        var seeds = quick ? 3 : 10;
        text.AppendLine($"== Call-taker centre: a simulated Kazakh city day ({CitySimulation.CallsPerDay:N0} calls/day, peak {CitySimulation.PeakHour}:00-{CitySimulation.PeakHour + 1}:00 = 8.5 %), virtual time, mean of {seeds} days ==");
        text.AppendLine("Share of ALL calls that joined the queue answered within 10/15/20 s, abandoned ones included (NENA: 90 % <= 15 s and 95 % <= 20 s).");
        text.AppendLine($"Language wait {LanguageWait.TotalSeconds:0} s unless said; offer timeout 15 s, wrap-up 10 s, group max wait 120 s then the dialplan fallback.");
        var levels = new TextTable("call-takers", "peak hour calls", "peak <=10 s", "peak <=15 s", "peak <=20 s", "peak p90 wait", "peak abandoned", "peak fallback", "peak occupancy", "NENA (peak)", "day <=15 s", "day <=20 s");
        // The same days once more without the language preference, at two staffing levels, to show what it costs.
        foreach (var (n, languageWait) in Staffing.Select(n => (n, LanguageWait)).Concat([(10, TimeSpan.Zero), (12, TimeSpan.Zero)]))
        {
            var days = Enumerable.Range(1, seeds).Select(seed => CitySimulation.Run(n, seed, languageWait)).ToList();
            var peak = days.Select(d => d.Peak).ToList();
            var day = days.Select(d => d.Day).ToList();
            var meets = peak.Average(p => p.Within15) >= 0.90 && peak.Average(p => p.Within20) >= 0.95;
            levels.Row(n.ToString(CultureInfo.InvariantCulture) + (languageWait == TimeSpan.Zero ? " (no language wait)" : ""),
                peak.Average(p => p.Calls).ToString("0", CultureInfo.InvariantCulture),
                Percent(peak.Average(p => p.Within10)), Percent(peak.Average(p => p.Within15)), Percent(peak.Average(p => p.Within20)),
                peak.Average(p => p.P90WaitSeconds).ToString("0.0", CultureInfo.InvariantCulture) + " s",
                Percent(peak.Average(p => p.Abandoned)), Percent(peak.Average(p => p.Fallback)),
                Percent(days.Average(d => d.PeakOccupancy)),
                meets ? "met" : "not met",
                Percent(day.Average(p => p.Within15)), Percent(day.Average(p => p.Within20)));
        }
        text.Append(levels);
        return text.ToString();
    }

    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static void Row(TextTable table, string name, CentrePickBench.Figures f) =>
        table.Row(name, Micro(f.P50), Micro(f.P99), Micro(f.Max));

    private static string Micro(double us) => us.ToString(us < 10 ? "0.0" : "0", CultureInfo.InvariantCulture) + " µs";

    private static string Percent(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";
}
