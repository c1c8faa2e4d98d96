using Routing.Bench.Load;
using Routing.Engine.Hosting;

namespace Routing.Bench.Report;

/// <summary>
/// All runs of one ARI REST transport: CPU figures are means over the runs, with their spread (max − min)
/// as the measure of run-to-run noise; latencies are pooled over every answered call of every run.
/// </summary>
public sealed record TransportSide(AriRestTransport Transport, IReadOnlyList<LoadResult> Runs)
{
    public string? NotRun => Runs.FirstOrDefault(r => !r.Ran)?.NotRun ?? (Runs.Count == 0 ? "no run finished" : null);

    public bool Ran => NotRun is null;

    private IEnumerable<LoadResult> Done => Runs.Where(r => r.Ran);

    public Spread SimulatorCpuMs => Spread.Of(Done.Select(r => r.SimulatorCpuPerCallMs ?? 0));

    public Spread EngineCpuMs => Spread.Of(Done.Select(r => r.EngineCpuPerCallMs));

    public Spread TotalCpuMs => Spread.Of(Done.Select(r => r.EngineCpuPerCallMs + (r.SimulatorCpuPerCallMs ?? 0)));

    public Spread AllocatedPerCall => Spread.Of(Done.Select(r => r.AllocatedPerCall));

    public LatencySummary? Answers => LatencySummary.Of(Done.SelectMany(r => r.AnswerSamples));

    public LatencySummary? DirectAnswers => LatencySummary.Of(Done.SelectMany(r => r.DirectAnswerSamples));

    public int Lost => Runs.Sum(r => r.LostCount);
}

/// <summary>Mean of a figure over runs, with its smallest and largest value.</summary>
public sealed record Spread(double Mean, double Min, double Max, int Runs)
{
    public double Range => Max - Min;

    public static Spread Of(IEnumerable<double> values)
    {
        var all = values.ToArray();
        return all.Length == 0 ? new Spread(0, 0, 0, 0) : new Spread(all.Average(), all.Min(), all.Max(), all.Length);
    }
}
