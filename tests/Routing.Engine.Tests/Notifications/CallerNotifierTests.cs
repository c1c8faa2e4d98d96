using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Routing.Calls.Notifications;
using Routing.Calls.Ports;
using Routing.Calls.Routing;
using Routing.Engine.Notifications;

namespace Routing.Engine.Tests.Notifications;

public sealed class CallerNotifierTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 9, 41, 0, TimeSpan.Zero));
    private readonly RecordingJournal _journal = new();

    private CallerNotifier Notifier(ICallerMessageSender sender, Action<CallerNotificationOptions>? configure = null)
    {
        var options = new CallerNotificationOptions { SmsCapablePrefixes = ["+7701"], FirstRetryDelay = TimeSpan.FromSeconds(2), MaxRetryDelay = TimeSpan.FromSeconds(60) };
        configure?.Invoke(options);
        var policy = new CallerNotificationPolicy(options, new Dictionary<string, AgencyOptions>());
        return new CallerNotifier(policy, options, sender, _journal, _time, NullLogger<CallerNotifier>.Instance);
    }

    private NotificationFacts Facts(string callId = "call-1", string number = "+77011234567") =>
        new(callId, "ABCD1234", number, "en", null, false, _time.GetUtcNow());

    [Fact]
    public async Task A_registered_caller_gets_one_message_and_the_ledger_says_so()
    {
        var sender = new ScriptedSender();
        using var notifier = Notifier(sender);
        await notifier.StartAsync(CancellationToken.None);

        notifier.Submit(NotificationStage.Registered, Facts());

        await _journal.WaitForAsync("notify.sent", Bound);
        Assert.Equal([("+77011234567", "112: your report is registered, no. ABCD1234, 14:41.")], sender.Sent);
        Assert.Equal(["notify.queued", "notify.sent"], _journal.Kinds("call-1"));
        await notifier.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_gateway_that_fails_for_a_moment_is_retried_with_growing_delays_until_it_takes_the_message()
    {
        var sender = new ScriptedSender(failTransiently: 2);
        using var notifier = Notifier(sender);
        await notifier.StartAsync(CancellationToken.None);

        notifier.Submit(NotificationStage.Registered, Facts());
        await _journal.WaitForAsync("notify.retry", Bound);
        var secondAttemptAfter = await AdvanceUntilAsync(() => sender.Attempts == 2);
        var sentAfter = await AdvanceUntilAsync(() => sender.Sent.Count == 1);

        // Never before the delay is due; how much later depends on the box, so only the record says the delay.
        Assert.True(secondAttemptAfter >= TimeSpan.FromSeconds(2), $"second attempt after {secondAttemptAfter}");
        Assert.True(sentAfter >= TimeSpan.FromSeconds(4), $"third attempt after {sentAfter}");
        var delays = _journal.Details("call-1", "notify.retry").Select(d => double.Parse(d[(d.LastIndexOf("next in ", StringComparison.Ordinal) + 8)..^2], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.InRange(delays[0], 2.0, 2.4);   // 2 s + up to 20 % jitter
        Assert.InRange(delays[1], 4.0, 4.8);   // doubled
        Assert.Equal(["notify.queued", "notify.retry", "notify.retry", "notify.sent"], _journal.Kinds("call-1"));
        Assert.Contains("attempt 3", _journal.Detail("call-1", "notify.sent"));
        await notifier.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_message_the_gateway_refuses_for_good_is_not_retried()
    {
        var sender = new ScriptedSender(refuse: true);
        using var notifier = Notifier(sender);
        await notifier.StartAsync(CancellationToken.None);

        notifier.Submit(NotificationStage.Registered, Facts());

        await _journal.WaitForAsync("notify.failed", Bound);
        Assert.Equal(1, sender.Attempts);
        Assert.Contains("after 1 attempt(s): gateway refused", _journal.Detail("call-1", "notify.failed"));
        await notifier.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task After_the_last_attempt_the_failure_is_on_record()
    {
        var sender = new ScriptedSender(failTransiently: 100);
        using var notifier = Notifier(sender, o => o.MaxAttempts = 2);
        await notifier.StartAsync(CancellationToken.None);

        notifier.Submit(NotificationStage.Registered, Facts());
        await _journal.WaitForAsync("notify.retry", Bound);
        await AdvanceUntilAsync(() => _journal.Kinds("call-1").Contains("notify.failed"));

        Assert.Equal(2, sender.Attempts);
        await notifier.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_landline_caller_is_skipped_with_the_reason_and_nothing_is_sent()
    {
        var sender = new ScriptedSender();
        using var notifier = Notifier(sender);
        await notifier.StartAsync(CancellationToken.None);

        notifier.Submit(NotificationStage.Registered, Facts(number: "+77271234567"));

        await _journal.WaitForAsync("notify.skipped", Bound);
        Assert.Empty(sender.Sent);
        Assert.Contains("not in an SMS-capable range", _journal.Detail("call-1", "notify.skipped"));
        await notifier.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Submitting_never_waits_for_a_hung_gateway_and_a_full_queue_drops_loudly_on_record()
    {
        var sender = new ScriptedSender(hang: true);
        using var notifier = Notifier(sender, o => o.QueueCapacity = 2);
        await notifier.StartAsync(CancellationToken.None);

        notifier.Submit(NotificationStage.Registered, Facts("call-1"));
        await WaitUntilAsync(() => sender.Attempts == 1); // the loop is now stuck in the gateway
        notifier.Submit(NotificationStage.Registered, Facts("call-2"));
        notifier.Submit(NotificationStage.Registered, Facts("call-3"));
        notifier.Submit(NotificationStage.Registered, Facts("call-4"));

        Assert.Equal(["notify.queued", "notify.dropped"], _journal.Kinds("call-4"));
        Assert.Equal(["notify.queued"], _journal.Kinds("call-3"));
        await notifier.StopAsync(CancellationToken.None);
    }

    /// <summary>Moves the fake clock in 100 ms steps until the condition holds, letting the notifier's loop
    /// run between steps; returns how much fake time that took. A timer can only fire once its due time
    /// has passed on the fake clock, so "not before" is exact; a late-armed timer only makes it later.</summary>
    private async Task<TimeSpan> AdvanceUntilAsync(Func<bool> condition)
    {
        var advanced = TimeSpan.Zero;
        var deadline = DateTime.UtcNow + Bound;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline || advanced > TimeSpan.FromMinutes(5)) throw new TimeoutException($"condition not met after {advanced} of fake time");
            _time.Advance(TimeSpan.FromMilliseconds(100));
            advanced += TimeSpan.FromMilliseconds(100);
            await Task.Delay(2);
        }

        return advanced;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met within " + Bound);
            await Task.Delay(5);
        }
    }

    private sealed class ScriptedSender(int failTransiently = 0, bool refuse = false, bool hang = false) : ICallerMessageSender
    {
        private int _attempts;

        public List<(string Number, string Text)> Sent { get; } = [];

        public int Attempts => Volatile.Read(ref _attempts);

        public string Name => "scripted";

        public async Task SendAsync(string number, string text, CancellationToken cancellationToken)
        {
            var attempt = Interlocked.Increment(ref _attempts);
            if (hang) await Task.Delay(Timeout.Infinite, cancellationToken);
            if (refuse) throw new CallerMessageException("gateway refused: bad number", transient: false);
            if (attempt <= failTransiently) throw new CallerMessageException("gateway answered 503", transient: true);
            lock (Sent) Sent.Add((number, text));
        }
    }

    private sealed class RecordingJournal : ICallJournal
    {
        private readonly List<CallEventRecord> _events = [];

        public ValueTask CallArrivedAsync(CallRecord call, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask LegPlannedAsync(LegRecord leg, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask AppendAsync(CallEventRecord callEvent, CancellationToken cancellationToken)
        {
            lock (_events) _events.Add(callEvent);
            return ValueTask.CompletedTask;
        }

        public string[] Kinds(string callId)
        {
            lock (_events) return _events.Where(e => e.CallId == callId).Select(e => e.Kind).ToArray();
        }

        public string[] Details(string callId, string kind)
        {
            lock (_events) return _events.Where(e => e.CallId == callId && e.Kind == kind).Select(e => e.Detail).ToArray();
        }

        public string Detail(string callId, string kind)
        {
            lock (_events) return _events.Last(e => e.CallId == callId && e.Kind == kind).Detail;
        }

        public async Task WaitForAsync(string kind, TimeSpan bound)
        {
            var deadline = DateTime.UtcNow + bound;
            while (true)
            {
                lock (_events)
                {
                    if (_events.Any(e => e.Kind == kind)) return;
                }

                if (DateTime.UtcNow > deadline) throw new TimeoutException($"no {kind} on record within {bound}");
                await Task.Delay(5);
            }
        }
    }
}
