using Microsoft.Extensions.Logging.Abstractions;
using Routing.Calls.Notifications;
using Routing.Calls.Ports;
using Routing.Calls.Routing;
using Routing.Engine.Notifications;

namespace Routing.Engine.Tests.Notifications;

/// <summary>Which moments of a call's own record become messages to the caller.</summary>
public sealed class CallerNotificationWatchTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);
    private readonly List<CallEventRecord> _record = [];

    private (CallerNotificationWatch Watch, CallerNotifier Notifier) Create()
    {
        var options = new CallerNotificationOptions { SmsCapablePrefixes = ["+7701"] };
        var agencies = new Dictionary<string, AgencyOptions> { ["fire"] = new() { DisplayName = "Fire and rescue" } };
        var journal = new Recording(_record);
        var notifier = new CallerNotifier(new CallerNotificationPolicy(options, agencies), options, new NeverSends(), journal, TimeProvider.System, NullLogger<CallerNotifier>.Instance);
        return (new CallerNotificationWatch(journal, notifier, "ru"), notifier);
    }

    private string[] Messages(string callId) =>
        _record.Where(e => e.CallId == callId && e.Kind is "notify.queued" or "notify.skipped").Select(e => e.Kind + " " + e.Detail.Split(':')[0].Split(' ')[0]).ToArray();

    [Fact]
    public async Task A_call_put_through_to_an_agency_is_registered_and_handed_over_at_the_bridge_and_closed_at_its_outcome()
    {
        var (watch, _) = Create();
        await watch.CallArrivedAsync(new CallRecord("c1", "ch1", "+77011234567", "101", "direct:fire", At), default);
        await watch.AppendAsync(new CallEventRecord("c1", null, At, "language", "kk"), default);
        await watch.LegPlannedAsync(new LegRecord("c1-leg1", "c1", "leg-ch", "fire", "almaty", "fire-almaty-1", "PJSIP/fire-almaty-1", 1, At), default);
        await watch.AppendAsync(new CallEventRecord("c1", "c1-leg1", At.AddSeconds(3), "connected", "fire-almaty-1"), default);
        Assert.Equal(["notify.queued Registered", "notify.queued HandedToAgency"], Messages("c1"));

        await watch.AppendAsync(new CallEventRecord("c1", null, At.AddMinutes(2), "outcome", "Completed"), default);

        Assert.Equal(["notify.queued Registered", "notify.queued HandedToAgency", "notify.queued Closed"], Messages("c1"));
        Assert.Contains(_record, e => e.Kind == "notify.queued" && e.Detail.Contains("Fire and rescue", StringComparison.Ordinal));
        Assert.Contains(_record, e => e.Kind == "notify.queued" && e.Detail.Contains("тіркелді", StringComparison.Ordinal)); // in the caller's language
    }

    [Fact]
    public async Task A_silent_call_is_told_nothing()
    {
        var (watch, _) = Create();
        await watch.CallArrivedAsync(new CallRecord("c2", "ch2", "+77011234567", "112", "112", At), default);

        await watch.AppendAsync(new CallEventRecord("c2", null, At.AddMinutes(1), "outcome", "Silent"), default);

        Assert.Equal(["notify.skipped Registered", "notify.skipped Closed"], Messages("c2"));
    }

    [Fact]
    public async Task A_call_taker_joining_is_not_an_agency_and_records_written_after_the_fact_are_not_callers()
    {
        var (watch, _) = Create();
        await watch.CallArrivedAsync(new CallRecord("c3", "ch3", "+77011234567", "112", "112", At), default);
        await watch.LegPlannedAsync(new LegRecord("c3-ct", "c3", "ct", "calltaker", "almaty", "calltaker-1", "PJSIP/calltaker-1", 1, At), default);
        await watch.AppendAsync(new CallEventRecord("c3", "c3-ct", At, "connected", "calltaker-1"), default);
        await watch.CallArrivedAsync(new CallRecord("c4", "ch4", "+77011234567", "112", "fallback-cel", At), default);
        await watch.AppendAsync(new CallEventRecord("c4", null, At, "outcome", "FailedOver"), default);

        Assert.Empty(Messages("c3"));
        Assert.Empty(Messages("c4"));
    }

    [Fact]
    public async Task The_record_is_written_before_anything_is_decided()
    {
        var (watch, _) = Create();
        await watch.CallArrivedAsync(new CallRecord("c5", "ch5", "+77011234567", "112", "112", At), default);

        await watch.AppendAsync(new CallEventRecord("c5", null, At, "outcome", "AbandonedInQueue"), default);

        Assert.Equal("outcome", _record.First(e => e.CallId == "c5").Kind);
    }

    private sealed class NeverSends : ICallerMessageSender
    {
        public string Name => "none";

        public Task SendAsync(string number, string text, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class Recording(List<CallEventRecord> record) : ICallJournal
    {
        public ValueTask CallArrivedAsync(CallRecord call, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask LegPlannedAsync(LegRecord leg, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask AppendAsync(CallEventRecord callEvent, CancellationToken cancellationToken)
        {
            lock (record) record.Add(callEvent);
            return ValueTask.CompletedTask;
        }
    }
}
