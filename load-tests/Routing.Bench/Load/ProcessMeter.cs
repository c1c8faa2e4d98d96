using System.Diagnostics;

namespace Routing.Bench.Load;

/// <summary>CPU time, allocations and working set of this process and (optionally) the simulator's
/// child process. Working sets are sampled every 100 ms while <see cref="SampleAsync"/> runs, so the
/// peak belongs to the load run and not to whatever ran earlier in this process.</summary>
public sealed class ProcessMeter(Process? child)
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(100);
    private readonly Process self = Process.GetCurrentProcess();

    public long PeakWorkingSet { get; private set; }

    public long? ChildPeakWorkingSet { get; private set; }

    public ProcessReading Read()
    {
        self.Refresh();
        child?.Refresh();
        return new ProcessReading(self.TotalProcessorTime, GC.GetTotalAllocatedBytes(precise: false),
            child is { HasExited: false } ? child.TotalProcessorTime : null);
    }

    /// <summary>Samples working sets until <paramref name="cancellationToken"/> fires; never throws for it.</summary>
    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        // Process objects are not thread-safe: the sampler reads through its own.
        using var me = Process.GetCurrentProcess();
        using var other = child is null ? null : Process.GetProcessById(child.Id);
        using var timer = new PeriodicTimer(SampleEvery);
        try
        {
            do
            {
                me.Refresh();
                PeakWorkingSet = Math.Max(PeakWorkingSet, me.WorkingSet64);
                if (other is { HasExited: false })
                {
                    other.Refresh();
                    ChildPeakWorkingSet = Math.Max(ChildPeakWorkingSet ?? 0, other.WorkingSet64);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run is over: the peak so far is the answer.
        }
    }
}

public sealed record ProcessReading(TimeSpan Cpu, long AllocatedBytes, TimeSpan? ChildCpu);
