namespace Routing.Engine.Hosting;

/// <summary>
/// SQLite (Microsoft.Data.Sqlite) runs its "async" calls synchronously, and a locked or broken
/// database keeps such a call — and its thread-pool thread — busy for up to the busy timeout. On a
/// two-core box the pool starts with two threads and adds one only about every half second, so two
/// blocked ledger threads were enough to delay every call's timers and REST continuations by ~0.8 s
/// (measured: a 250 ms write-before-act bound took 800 ms). A higher floor keeps routing independent
/// of the ledger (ARCHITECTURE invariant 3). It is process-wide on purpose and only ever raised.
/// </summary>
internal static class ThreadPoolFloor
{
    public const int MinimumThreads = 64;

    public static void Ensure()
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        if (workers < MinimumThreads || completionPorts < MinimumThreads)
        {
            ThreadPool.SetMinThreads(Math.Max(workers, MinimumThreads), Math.Max(completionPorts, MinimumThreads));
        }
    }
}
