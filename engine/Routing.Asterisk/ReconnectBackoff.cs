namespace Routing.Asterisk;

/// <summary>
/// Exponential backoff with jitter between a floor and a ceiling. Jitter spreads reconnects of
/// several engine nodes so that a restarted Asterisk is not hit by all of them in the same instant.
/// </summary>
public sealed class ReconnectBackoff
{
    private readonly TimeSpan _min;
    private readonly TimeSpan _max;
    private readonly Random _random;

    public ReconnectBackoff(TimeSpan min, TimeSpan max, Random? random = null)
    {
        if (min <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(min), min, "must be positive");
        if (max < min) throw new ArgumentOutOfRangeException(nameof(max), max, $"must be >= min ({min})");
        _min = min;
        _max = max;
        _random = random ?? new Random();
    }

    /// <summary>Delay before retry number <paramref name="attempt"/> (0 = first retry): min·2^attempt capped at max,
    /// then a random point in its upper half, never below min.</summary>
    public TimeSpan Delay(int attempt)
    {
        var exponent = Math.Clamp(attempt, 0, 30);
        var ceiling = Math.Min(_max.Ticks, _min.Ticks * Math.Pow(2, exponent));
        var jittered = ceiling / 2 + _random.NextDouble() * ceiling / 2;
        return TimeSpan.FromTicks((long)Math.Clamp(jittered, _min.Ticks, _max.Ticks));
    }

    /// <summary>The ceiling, used after errors that a quick retry cannot fix (wrong credentials).</summary>
    public TimeSpan Max => _max;
}
