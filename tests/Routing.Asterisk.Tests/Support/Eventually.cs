namespace Routing.Asterisk.Tests.Support;

/// <summary>Waits on a condition with a deadline instead of sleeping blindly.</summary>
public static class Eventually
{
    public static async Task True(Func<bool> condition, string what, int timeoutMs = 30000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"waited {timeoutMs} ms for: {what}");
            await Task.Delay(10);
        }
    }

    public static async Task<T> Within<T>(Task<T> task, string what, int timeoutMs = 30000)
    {
        var done = await Task.WhenAny(task, Task.Delay(timeoutMs));
        if (done != task) throw new TimeoutException($"waited {timeoutMs} ms for: {what}");
        return await task;
    }

    public static async Task Within(Task task, string what, int timeoutMs = 30000)
    {
        var done = await Task.WhenAny(task, Task.Delay(timeoutMs));
        if (done != task) throw new TimeoutException($"waited {timeoutMs} ms for: {what}");
        await task;
    }
}
