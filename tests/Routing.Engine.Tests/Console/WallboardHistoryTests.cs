using Microsoft.Extensions.Time.Testing;
using Routing.Engine.Wallboard;

namespace Routing.Engine.Tests.Console;

/// <summary>The wallboard's figures over time: answer-time service levels per window against the NENA
/// thresholds, calls and longest wait per minute, failures per trunk.</summary>
public sealed class WallboardHistoryTests
{
    [Fact]
    public void Service_levels_count_only_the_answers_inside_each_window()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-06T08:00:00Z"));
        var history = new WallboardHistory(time);
        history.RecordAnswered(TimeSpan.FromSeconds(30)); // 08:00, in the shift only
        time.Advance(TimeSpan.FromMinutes(50));
        history.RecordAnswered(TimeSpan.FromSeconds(18)); // 08:50, in the hour and the shift
        time.Advance(TimeSpan.FromMinutes(20));
        history.RecordAnswered(TimeSpan.FromSeconds(5));  // 09:10, everywhere
        history.RecordAnswered(TimeSpan.FromSeconds(15)); // 15 s is within 15 s

        var levels = history.ServiceLevels().ToDictionary(l => l.Window);

        Assert.Equal(new ServiceLevel("15m", 2, 2, 2, 1.0, 1.0), levels["15m"]);
        Assert.Equal(new ServiceLevel("1h", 3, 2, 3, 0.667, 1.0), levels["1h"]);
        Assert.Equal(new ServiceLevel("shift", 4, 2, 3, 0.5, 0.75), levels["shift"]);
    }

    [Fact]
    public void No_answers_yet_is_no_share_not_zero_percent()
    {
        var levels = new WallboardHistory(new FakeTimeProvider()).ServiceLevels();

        Assert.All(levels, l => Assert.Null(l.Share15));
    }

    [Fact]
    public void Minutes_hold_arrivals_and_the_longest_wait_and_the_running_minute_takes_the_queue_now()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-06T08:00:10Z"));
        var history = new WallboardHistory(time);
        history.RecordArrival();
        history.RecordArrival();
        history.RecordAnswered(TimeSpan.FromSeconds(12));
        time.Advance(TimeSpan.FromMinutes(2));
        history.RecordArrival();

        var minutes = history.Minutes(3, longestWaitNow: 40);

        Assert.Equal(
            [
                new MinuteSample(DateTimeOffset.Parse("2026-12-06T08:00:00Z"), 2, 12),
                new MinuteSample(DateTimeOffset.Parse("2026-12-06T08:01:00Z"), 0, 0),
                new MinuteSample(DateTimeOffset.Parse("2026-12-06T08:02:00Z"), 1, 40),
            ],
            minutes);
    }

    [Fact]
    public void Trunk_failures_are_counted_per_trunk_worst_first_with_the_last_reason()
    {
        var history = new WallboardHistory(new FakeTimeProvider());
        history.RecordTrunkFailure("police-almaty-1", "busy");
        history.RecordTrunkFailure("fire-almaty-1", "noanswer");
        history.RecordTrunkFailure("police-almaty-1", "congestion");

        var trunks = history.Trunks();

        Assert.Equal(["police-almaty-1", "fire-almaty-1"], trunks.Select(t => t.Trunk));
        Assert.Equal(2, trunks[0].Failures);
        Assert.Equal("congestion", trunks[0].LastReason);
    }
}
