namespace Routing.Engine.Simulation;

/// <summary>When a bounded `routing run` (--duration, --max-calls) has placed its last call, the
/// calls already placed are let to end before the process exits, within a bound.</summary>
internal static class CallsInFlight
{
    public static readonly TimeSpan DefaultPoll = TimeSpan.FromMilliseconds(250);

    /// <summary>Polls <paramref name="live"/> until it is zero (true) or <paramref name="bound"/> has
    /// passed (false). Cancellation (Ctrl+C) ends the wait early with false.</summary>
    public static async Task<bool> WaitUntilNoneAsync(Func<int> live, TimeSpan bound, TimeProvider time, CancellationToken cancellationToken, TimeSpan? poll = null)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(time);
        var started = time.GetTimestamp();
        try
        {
            while (live() > 0)
            {
                if (time.GetElapsedTime(started) >= bound)
                {
                    return false;
                }

                await Task.Delay(poll ?? DefaultPoll, time, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
