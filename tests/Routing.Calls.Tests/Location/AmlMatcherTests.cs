using Routing.Calls.Location;

namespace Routing.Calls.Tests.Location;

public sealed class AmlMatcherTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 10, 0, 30, TimeSpan.Zero);
    private static readonly LocationOptions Options = new();

    private static AmlMessage Fix(string number, DateTimeOffset measuredAt) =>
        new(number, new CallLocation(LocationSource.Aml, Now, measuredAt, new GeoPoint(51.17, 71.45), 10, null, "GNSS", "raw"), null);

    [Fact]
    public void An_AML_fix_belongs_to_the_live_call_from_the_same_subscriber_whatever_the_number_format()
    {
        var calls = new[]
        {
            new AmlCandidate("older", "87011234567", Now.AddMinutes(-20), Now.AddMinutes(-19)),
            new AmlCandidate("live", "87011234567", Now.AddSeconds(-20), null),
            new AmlCandidate("other", "+77019999999", Now.AddSeconds(-5), null),
        };

        var match = AmlMatcher.Match(Fix("+77011234567", Now.AddSeconds(-10)), Now, calls, Options);

        Assert.Equal("live", match.CallId);
    }

    [Fact]
    public void An_SMS_that_overtakes_its_call_still_matches_a_call_arriving_just_after()
    {
        var calls = new[] { new AmlCandidate("late-call", "+77011234567", Now.AddSeconds(5), null) };

        Assert.Equal("late-call", AmlMatcher.Match(Fix("+77011234567", Now), Now, calls, Options).CallId);
    }

    [Fact]
    public void A_stale_fix_matches_no_call_and_says_so()
    {
        var calls = new[] { new AmlCandidate("live", "+77011234567", Now.AddSeconds(-20), null) };

        var match = AmlMatcher.Match(Fix("+77011234567", Now.AddHours(-1)), Now, calls, Options);

        Assert.Null(match.CallId);
        Assert.StartsWith("stale: the fix is 3600 s old", match.Reason);
    }

    [Fact]
    public void A_fix_for_an_unknown_number_matches_no_call()
    {
        var calls = new[] { new AmlCandidate("live", "+77019999999", Now.AddSeconds(-20), null) };

        var match = AmlMatcher.Match(Fix("+77011234567", Now), Now, calls, Options);

        Assert.Null(match.CallId);
        Assert.Equal("no live or recent call from a number ending 7011234567", match.Reason);
    }

    [Fact]
    public void A_call_that_ended_long_ago_is_not_matched()
    {
        var calls = new[] { new AmlCandidate("gone", "+77011234567", Now.AddMinutes(-30), Now.AddMinutes(-20)) };

        Assert.Null(AmlMatcher.Match(Fix("+77011234567", Now), Now, calls, Options).CallId);
    }
}
