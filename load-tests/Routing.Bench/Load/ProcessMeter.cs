using System.Diagnostics;

namespace Routing.Bench.Load;

/// <summary>CPU time, allocations and working set of this process and (optionally) the simulator's
/// child process. Working sets are sampled every 100 ms while <see cref="SampleAsync"/> runs, so the
/// peak belongs to the load run and not to whatever ran earlier in this process.</summary>
public sealed class ProcessMeter(Process? child)
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(100);
    private readonly Process self = Process.GetCurrentProcess();

    private long samplerAllocated;

    public long PeakWorkingSet { get; private set; }

    public long? ChildPeakWorkingSet { get; private set; }

    public ProcessReading Read()
    {
        self.Refresh();
        child?.Refresh();
        return new ProcessReading(self.TotalProcessorTime, GC.GetTotalAllocatedBytes(precise: true) - Interlocked.Read(ref samplerAllocated),
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
                // Reading /proc allocates ~20 KB a time (6-7 % of the engine process's bytes in a 50 calls/s
                // run): counted here so the per-call figure can leave the bench's own sampling out.
                var before = GC.GetAllocatedBytesForCurrentThread();
                me.Refresh();
                PeakWorkingSet = Math.Max(PeakWorkingSet, me.WorkingSet64);
                if (other is { HasExited: false })
                {
                    other.Refresh();
                    ChildPeakWorkingSet = Math.Max(ChildPeakWorkingSet ?? 0, other.WorkingSet64);
                }

                Interlocked.Add(ref samplerAllocated, GC.GetAllocatedBytesForCurrentThread() - before);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run is over: the peak so far is the answer.
        }
    }
}

/// <param name="AllocatedBytes">This process's allocations so far, less the meter's own working-set sampling.</param>
public sealed record ProcessReading(TimeSpan Cpu, long AllocatedBytes, TimeSpan? ChildCpu);
