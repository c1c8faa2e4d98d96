namespace Routing.Simulator.Tests.Support;

/// <summary>Waits on a condition with a deadline instead of sleeping blindly.</summary>
internal static class Wait
{
    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting until {what}");
            await Task.Delay(10);
        }
    }

    public static async Task<T> ForAsync<T>(Task<T> task, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(5);
        if (await Task.WhenAny(task, Task.Delay(limit)) != task) throw new TimeoutException($"task did not complete within {limit}");
        return await task;
    }
}
