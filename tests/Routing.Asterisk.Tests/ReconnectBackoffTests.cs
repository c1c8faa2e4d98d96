namespace Routing.Asterisk.Tests;

public class ReconnectBackoffTests
{
    [Fact]
    public void Delays_grow_from_the_floor_to_the_ceiling_and_stay_within_bounds()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), new Random(1));

        for (var attempt = 0; attempt < 40; attempt++)
        {
            var delay = backoff.Delay(attempt);
            Assert.InRange(delay, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10));
            var ceiling = Math.Min(10_000, 200 * Math.Pow(2, attempt));
            Assert.InRange(delay.TotalMilliseconds, Math.Max(200, ceiling / 2) - 1, ceiling + 1);
        }
        Assert.Equal(TimeSpan.FromMilliseconds(200), backoff.Delay(0));
        Assert.True(backoff.Delay(30) >= TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Jitter_spreads_reconnects()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), new Random(2));
        var delays = Enumerable.Range(0, 20).Select(_ => backoff.Delay(5)).Distinct().Count();
        Assert.True(delays > 10, $"only {delays} distinct delays");
    }

    [Fact]
    public void Bad_bounds_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectBackoff(TimeSpan.Zero, TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectBackoff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)));
    }
}
