using Routing.Engine.Hosting;

namespace Routing.Bench.Load;

/// <summary>What one load run is: a name, the REST transport, where the simulator runs, and its bounds.</summary>
/// <param name="WarmUpCalls">Calls placed (at the same rate) and finished before measuring, so the JIT has
/// optimised the paths this transport uses and the first run in the process is not charged for it.</param>
public sealed record LoadRunSpec(string Name, AriRestTransport Transport, bool SimulatorInChild, int Calls, double Rate, TimeSpan TimeLimit, int WarmUpCalls, int Seed = 112);

/// <summary>Calls of one kind: how many, and which outcomes the ledger recorded for them.</summary>
public sealed record KindTally(LoadCallKind Kind, string Expected, int Calls, IReadOnlyDictionary<string, int> Outcomes)
{
    public int AsExpected => Outcomes.GetValueOrDefault(Expected);
}

/// <summary>Everything a load run measured. Figures are over the measured calls only (the warm-up
/// calls are excluded), between the first arrival and the moment the engine was idle again.</summary>
public sealed record LoadResult
{
    public required LoadRunSpec Spec { get; init; }

    public required string Placement { get; init; }

    /// <summary>Why the run could not be made (e.g. the simulator lacks REST over WebSocket); null if it ran.</summary>
    public string? NotRun { get; init; }

    public int Placed { get; init; }

    public int Ended { get; init; }

    public IReadOnlyList<KindTally> Kinds { get; init; } = [];

    /// <summary>Calls that did not reach an outcome (or never arrived): must be empty.</summary>
    public IReadOnlyList<string> Lost { get; init; } = [];

    public int LostCount { get; init; }

    /// <summary>Calls that ended, but not as their script expects (first few).</summary>
    public IReadOnlyList<string> Unexpected { get; init; } = [];

    public int UnexpectedCount { get; init; }

    public TimeSpan ArrivalSpan { get; init; }

    /// <summary>From the first arrival until the last caller's channel was gone.</summary>
    public TimeSpan Window { get; init; }

    /// <summary>From the first arrival until the engine had no live call and no pending ledger record.</summary>
    public TimeSpan MeasuredFor { get; init; }

    public IReadOnlyList<(string Label, LatencySummary? Summary)> AnswerLatency { get; init; } = [];

    /// <summary>Every arrival → agency answer of the run, so several runs can be pooled.</summary>
    public IReadOnlyList<TimeSpan> AnswerSamples { get; init; } = [];

    /// <summary>The same for direct 101–104 calls only (no menu time in them).</summary>
    public IReadOnlyList<TimeSpan> DirectAnswerSamples { get; init; } = [];

    public SimulatorCounters? Simulator { get; init; }

    public TimeSpan EngineProcessCpu { get; init; }

    public TimeSpan? SimulatorProcessCpu { get; init; }

    public long AllocatedBytes { get; init; }

    public long PeakWorkingSet { get; init; }

    public long? SimulatorPeakWorkingSet { get; init; }

    public long LedgerLate { get; init; }

    public long LedgerFailures { get; init; }

    public long LedgerQueueFull { get; init; }

    /// <summary>The engine's own ARI health counters over the window (from its /metrics).</summary>
    public EngineCounters? EngineCounters { get; init; }

    public long EngineWarnings { get; init; }

    public long EngineErrors { get; init; }

    public IReadOnlyList<string> FirstWarnings { get; init; } = [];

    public bool Ran => NotRun is null;

    public double ArrivalRate => ArrivalSpan > TimeSpan.Zero ? (Placed - 1) / ArrivalSpan.TotalSeconds : 0;

    /// <summary>Calls that reached the outcome their script expects, per second of arrivals. Callers hang
    /// up on their own schedule, so end times say nothing about the engine's speed; what does is whether
    /// each call still came out right at this arrival rate. Equal to the offered rate when all did.</summary>
    public double CallsPerSecond => ArrivalSpan > TimeSpan.Zero ? Math.Max(0, Kinds.Sum(k => k.AsExpected) - 1 - UnexpectedBusyRoutes) / ArrivalSpan.TotalSeconds : 0;

    /// <summary>Busy-primary calls that completed, but not on the backup trunk.</summary>
    public int UnexpectedBusyRoutes { get; init; }

    public double RequestsPerCall => Placed > 0 && Simulator is not null ? (double)Simulator.RestRequests / Placed : 0;

    public double RequestsPerSecond => Window > TimeSpan.Zero && Simulator is not null ? Simulator.RestRequests / Window.TotalSeconds : 0;

    public double EngineCpuPerCallMs => Placed > 0 ? EngineProcessCpu.TotalMilliseconds / Placed : 0;

    public double? SimulatorCpuPerCallMs => Placed > 0 && SimulatorProcessCpu is { } cpu ? cpu.TotalMilliseconds / Placed : null;

    public double AllocatedPerCall => Placed > 0 ? (double)AllocatedBytes / Placed : 0;

    public LatencySummary? AllAnswers => AnswerLatency.FirstOrDefault(l => l.Label == LoadVerdict.AllAnswered).Summary;
}
