namespace Routing.Ledger.Tests.Support;

/// <summary>Waits on a condition with a deadline instead of sleeping blindly.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for: {what}");
            }

            await Task.Delay(15);
        }
    }

    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        TrueAsync(() => Task.FromResult(condition()), what, timeout);

    /// <summary>Waits for <paramref name="condition"/> as long as <paramref name="progress"/> keeps growing: fails
    /// only when it has not moved for <paramref name="stall"/> (or after <paramref name="cap"/> in all). How fast a
    /// busy 2-core box commits thousands of records is a benchmark figure, not a test's business; a writer that
    /// stopped writing is the defect a test must catch.</summary>
    public static async Task TrueWhileProgressingAsync(Func<bool> condition, Func<long> progress, string what, TimeSpan stall, TimeSpan cap)
    {
        var start = DateTime.UtcNow;
        var last = progress();
        var lastMoved = start;
        while (!condition())
        {
            var now = DateTime.UtcNow;
            var current = progress();
            if (current != last)
            {
                last = current;
                lastMoved = now;
            }
            else if (now - lastMoved > stall)
            {
                throw new TimeoutException($"Timed out waiting for: {what} (no progress for {stall.TotalSeconds:0} s)");
            }

            if (now - start > cap)
            {
                throw new TimeoutException($"Timed out waiting for: {what} (still progressing after {cap.TotalMinutes:0} min)");
            }

            await Task.Delay(15);
        }
    }
}
