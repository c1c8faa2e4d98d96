using Microsoft.Extensions.Time.Testing;
using Routing.Engine.Overload;

namespace Routing.Engine.Tests.Overload;

/// <summary>The guard on a fake clock: when it starts shedding new callers, and how it recovers by itself.</summary>
public class OverloadGuardTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 15, 0, 0, TimeSpan.Zero));
    private long _eventBacklog;
    private long _ledgerBacklog;

    private static readonly Dictionary<string, string?> Secrets = new()
    {
        ["Asterisk:Ari:Password"] = "test-secret",
        ["Asterisk:Ami:Password"] = "test-secret",
    };

    private OverloadGuard Guard(Action<OverloadOptions>? change = null)
    {
        var options = new OverloadOptions
        {
            EventAge = TimeSpan.FromMilliseconds(500),
            RestLatency = TimeSpan.FromMilliseconds(400),
            EventBacklog = 100,
            LedgerBacklog = 1000,
            Window = TimeSpan.FromSeconds(1),
            RecoverFraction = 0.5,
            RecoverAfter = TimeSpan.FromSeconds(5),
        };
        change?.Invoke(options);
        Assert.Empty(options.Validate());
        return new OverloadGuard(options, _time, () => _eventBacklog, () => _ledgerBacklog);
    }

    private Admission Admit(OverloadGuard guard) => guard.Admit(out _);

    [Fact]
    public void An_engine_without_lag_admits_every_caller()
    {
        var guard = Guard();
        guard.EventReceived(_time.GetUtcNow() - TimeSpan.FromMilliseconds(20));
        guard.RestCompleted(TimeSpan.FromMilliseconds(5));
        Assert.False(Admit(guard).Shed);
        Assert.False(guard.Shedding);
    }

    [Fact]
    public void Events_arriving_late_shed_the_next_caller_and_say_why()
    {
        var guard = Guard();
        guard.EventReceived(_time.GetUtcNow() - TimeSpan.FromMilliseconds(700));
        guard.EventReceived(_time.GetUtcNow() - TimeSpan.FromMilliseconds(500));

        var admission = guard.Admit(out var transition);
        Assert.Equal("event_age", admission.Signal);
        Assert.StartsWith("event_age: event age 600 ms", admission.Reason, StringComparison.Ordinal);
        Assert.Equal(OverloadGuard.Transition.StartedShedding, transition);
        Assert.True(guard.Shedding);
    }

    [Fact]
    public void Requests_Asterisk_has_not_answered_yet_shed_the_next_caller_while_they_wait()
    {
        var guard = Guard();
        guard.RestCompleted(TimeSpan.FromMilliseconds(10)); // what came back was quick
        guard.RestStarted();
        guard.RestStarted();
        _time.Advance(TimeSpan.FromMilliseconds(450)); // ...and two requests have waited 450 ms, over 400

        var admission = Admit(guard);
        Assert.Equal("rest_latency", admission.Signal);
        Assert.Contains("REST latency 450 ms", admission.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_request_that_came_back_stops_counting_as_waiting_and_leaves_its_latency()
    {
        var guard = Guard();
        var started = guard.RestStarted();
        _time.Advance(TimeSpan.FromMilliseconds(100));
        guard.RestEnded(started);
        _time.Advance(TimeSpan.FromMilliseconds(900)); // had it still been waiting, it would be 1 s old now
        Assert.False(Admit(guard).Shed);

        var strict = Guard(o => o.RestLatency = TimeSpan.FromMilliseconds(50));
        var slow = strict.RestStarted();
        _time.Advance(TimeSpan.FromMilliseconds(100));
        strict.RestEnded(slow);
        var admission = Admit(strict);
        Assert.Equal("rest_latency", admission.Signal);
        Assert.Contains("REST latency 100 ms", admission.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mean_below_the_threshold_does_not_shed_however_slow_one_request_was()
    {
        var guard = Guard();
        guard.RestCompleted(TimeSpan.FromMilliseconds(900));
        for (var i = 0; i < 9; i++) guard.RestCompleted(TimeSpan.FromMilliseconds(10));
        Assert.False(Admit(guard).Shed); // mean 99 ms
    }

    [Theory]
    [InlineData("rest_latency")]
    [InlineData("event_backlog")]
    [InlineData("ledger_backlog")]
    public void Each_signal_at_its_threshold_sheds(string signal)
    {
        var guard = Guard();
        switch (signal)
        {
            case "rest_latency": guard.RestCompleted(TimeSpan.FromMilliseconds(400)); break;
            case "event_backlog": _eventBacklog = 100; break;
            case "ledger_backlog": _ledgerBacklog = 1000; break;
        }
        Assert.Equal(signal, Admit(guard).Signal);
    }

    [Fact]
    public void A_signal_set_to_zero_is_left_out()
    {
        var guard = Guard(o => o.EventAge = TimeSpan.Zero);
        guard.EventReceived(_time.GetUtcNow() - TimeSpan.FromSeconds(30));
        Assert.False(Admit(guard).Shed);
    }

    [Fact]
    public void A_disabled_guard_admits_everyone()
    {
        var guard = Guard(o => o.Enabled = false);
        _eventBacklog = 10_000;
        guard.RestCompleted(TimeSpan.FromSeconds(10));
        Assert.False(Admit(guard).Shed);
    }

    [Fact]
    public void An_Asterisk_clock_ahead_of_ours_counts_as_no_lag()
    {
        var guard = Guard();
        guard.EventReceived(_time.GetUtcNow() + TimeSpan.FromSeconds(5));
        Assert.False(Admit(guard).Shed);
    }

    [Fact]
    public void Shedding_goes_on_while_the_lag_is_below_the_threshold_but_not_well_below_it()
    {
        var guard = Guard();
        guard.RestCompleted(TimeSpan.FromMilliseconds(450));
        Assert.True(Admit(guard).Shed);

        for (var second = 0; second < 10; second++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            guard.RestCompleted(TimeSpan.FromMilliseconds(300)); // under 400, over 400 × 0.5
            var admission = Admit(guard);
            Assert.Equal("recovering", admission.Signal);
        }
        Assert.True(guard.Shedding);
    }

    [Fact]
    public void Once_calm_for_RecoverAfter_the_guard_admits_again_by_itself()
    {
        var guard = Guard();
        guard.RestCompleted(TimeSpan.FromMilliseconds(800));
        Assert.True(Admit(guard).Shed);

        _time.Advance(TimeSpan.FromSeconds(2)); // the slow samples are two windows old: forgotten
        guard.RestCompleted(TimeSpan.FromMilliseconds(20));
        Assert.True(Admit(guard).Shed); // calm from now on, not yet for 5 s
        _time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.True(Admit(guard).Shed);
        _time.Advance(TimeSpan.FromSeconds(0.1));

        var admission = guard.Admit(out var transition);
        Assert.False(admission.Shed);
        Assert.Equal(OverloadGuard.Transition.Recovered, transition);
        Assert.False(guard.Shedding);
    }

    [Fact]
    public void Lag_returning_during_recovery_starts_the_calm_period_again()
    {
        var guard = Guard();
        _eventBacklog = 150;
        Assert.True(Admit(guard).Shed);
        _eventBacklog = 10;
        Assert.True(Admit(guard).Shed); // calm since now
        _time.Advance(TimeSpan.FromSeconds(4));
        _eventBacklog = 60; // over half the threshold: not calm
        Assert.True(Admit(guard).Shed);
        _eventBacklog = 10;
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(Admit(guard).Shed); // calm again since now, 6 s after the first calm moment
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.False(Admit(guard).Shed);
    }

    [Fact]
    public void An_idle_engine_forgets_old_lag()
    {
        var guard = Guard(o => o.RecoverAfter = TimeSpan.Zero);
        guard.EventReceived(_time.GetUtcNow() - TimeSpan.FromSeconds(3));
        Assert.True(Admit(guard).Shed);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(Admit(guard).Shed); // still within the previous window
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(Admit(guard).Shed);
    }

    [Fact]
    public void Shed_callers_are_logged_at_most_once_per_interval_with_the_count_since_the_last_line()
    {
        var guard = Guard(o => o.ShedLogInterval = TimeSpan.FromSeconds(10));
        Assert.Equal(1, guard.CountShed());
        Assert.Null(guard.CountShed());
        Assert.Null(guard.CountShed());
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(3, guard.CountShed());
    }

    [Theory]
    [InlineData("EventAge", "-00:00:01", "Overload:EventAge must not be negative (is -00:00:01); zero leaves it out")]
    [InlineData("RestLatency", "-00:00:01", "Overload:RestLatency must not be negative (is -00:00:01); zero leaves it out")]
    [InlineData("EventBacklog", "-1", "Overload:EventBacklog must not be negative (is -1); zero leaves it out")]
    [InlineData("LedgerBacklog", "-1", "Overload:LedgerBacklog must not be negative (is -1); zero leaves it out")]
    [InlineData("Window", "00:00:00", "Overload:Window must be greater than zero (is 00:00:00)")]
    [InlineData("RecoverFraction", "1", "Overload:RecoverFraction must be between 0 and 1, exclusive (is 1)")]
    [InlineData("RecoverFraction", "0", "Overload:RecoverFraction must be between 0 and 1, exclusive (is 0)")]
    [InlineData("RecoverAfter", "-00:00:01", "Overload:RecoverAfter must not be negative (is -00:00:01)")]
    [InlineData("ShedLogInterval", "00:00:00", "Overload:ShedLogInterval must be greater than zero (is 00:00:00)")]
    public void A_broken_Overload_key_stops_the_engine_at_start_naming_the_key(string key, string value, string error)
    {
        var root = Routing.Engine.Hosting.EngineConfiguration.Load(null, new Dictionary<string, string?>(Secrets) { [$"Overload:{key}"] = value });
        var ex = Assert.Throws<Routing.Engine.Hosting.ConfigurationException>(() => Routing.Engine.Hosting.EngineConfiguration.Bind(root));
        Assert.Contains(error, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_threshold_at_zero_is_refused_while_enabled()
    {
        var options = new OverloadOptions { EventAge = TimeSpan.Zero, RestLatency = TimeSpan.Zero, EventBacklog = 0, LedgerBacklog = 0 };
        Assert.Contains(options.Validate(), e => e.Contains("every threshold is zero", StringComparison.Ordinal));
        options.Enabled = false;
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void The_shipped_configuration_binds_the_Overload_section()
    {
        var configuration = Routing.Engine.Hosting.EngineConfiguration.Bind(Routing.Engine.Hosting.EngineConfiguration.Load(null, Secrets));
        Assert.True(configuration.Overload.Enabled);
        Assert.Equal(TimeSpan.FromMilliseconds(500), configuration.Overload.RestLatency);
    }
}
