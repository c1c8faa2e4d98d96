namespace Routing.Engine.Overload;

/// <summary>
/// Mean of the samples of the current and the previous window (two buckets on the clock): cheap, no
/// allocation per sample, and samples older than two windows are forgotten, so lag that stopped being
/// measured (no traffic) reads as none. Not thread-safe: <see cref="OverloadGuard"/> locks around it.
/// </summary>
internal sealed class LagWindow(long windowTicks)
{
    private long _index = long.MinValue;
    private double _sum;
    private long _count;
    private double _previousSum;
    private long _previousCount;

    public void Add(long nowTicks, double value)
    {
        Roll(nowTicks);
        _sum += value;
        _count++;
    }

    /// <summary>0 when no sample is recent.</summary>
    public double Mean(long nowTicks)
    {
        Roll(nowTicks);
        var count = _count + _previousCount;
        return count == 0 ? 0 : (_sum + _previousSum) / count;
    }

    private void Roll(long nowTicks)
    {
        var index = nowTicks / windowTicks;
        if (index == _index) return;
        var adjacent = index == _index + 1;
        _previousSum = adjacent ? _sum : 0;
        _previousCount = adjacent ? _count : 0;
        _sum = 0;
        _count = 0;
        _index = index;
    }
}
