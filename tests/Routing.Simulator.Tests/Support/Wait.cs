namespace Routing.Simulator.Tests.Support;

/// <summary>Waits on a condition with a deadline instead of sleeping blindly.</summary>
internal static class Wait
{
    /// <summary>How long a wait may take before the test fails: long enough for a loaded 2-core box (a websocket
    /// connect took over 5 s there), never a measure of speed.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Bound);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting until {what}");
            await Task.Delay(10);
        }
    }

    public static async Task<T> ForAsync<T>(Task<T> task, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Bound;
        if (await Task.WhenAny(task, Task.Delay(limit)) != task) throw new TimeoutException($"task did not complete within {limit}");
        return await task;
    }
}
