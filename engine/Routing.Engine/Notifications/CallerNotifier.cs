using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Routing.Calls.Notifications;
using Routing.Calls.Ports;
using Routing.Engine.Metrics;

namespace Routing.Engine.Notifications;

/// <summary>
/// Tells callers about their call (registered, handed to an agency, closed) without ever delaying it:
/// <see cref="Submit"/> decides with <see cref="CallerNotificationPolicy"/>, records the decision and hands
/// the message to one bounded queue; a single sender loop sends, retries a transient failure with
/// doubling delays (jittered, capped) while the other messages go on, and records every send, retry and
/// failure on the call's ledger story. A full queue records the message as dropped and alarms; the call
/// never waits for any of it.
/// </summary>
public sealed class CallerNotifier : BackgroundService
{
    private readonly CallerNotificationPolicy _policy;
    private readonly CallerNotificationOptions _options;
    private readonly ICallerMessageSender _sender;
    private readonly ICallJournal _journal;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Channel<Pending> _queue;
    private readonly List<Pending> _waiting = [];
    private readonly Random _jitter = new();

    public CallerNotifier(CallerNotificationPolicy policy, CallerNotificationOptions options, ICallerMessageSender sender,
        ICallJournal journal, TimeProvider time, ILogger<CallerNotifier> log)
    {
        _policy = policy;
        _options = options;
        _sender = sender;
        _journal = journal;
        _time = time;
        _log = log;
        _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(options.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    /// <summary>Decides and queues one stage's message. Never blocks and never throws to the caller.</summary>
    public void Submit(NotificationStage stage, NotificationFacts facts)
    {
        var decision = _policy.Decide(stage, facts);
        if (!decision.Send)
        {
            EngineMetrics.CallerMessages.WithLabels(stage.ToString(), "skipped").Inc();
            Record(decision.CallId, "notify.skipped", $"{stage}: {decision.Skipped}");
            return;
        }

        Record(decision.CallId, "notify.queued", $"{stage} to {decision.Number} via {_sender.Name}: {decision.Text}");
        if (_queue.Writer.TryWrite(new Pending(decision, 1, _time.GetUtcNow())))
        {
            EngineMetrics.CallerMessagesQueued.Inc();
            return;
        }

        EngineMetrics.CallerMessages.WithLabels(stage.ToString(), "dropped").Inc();
        LogMessages.CallerMessageDropped(_log, decision.CallId, stage.ToString(), _options.QueueCapacity);
        Record(decision.CallId, "notify.dropped", $"{stage}: the queue of {_options.QueueCapacity} messages is full");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            while (_queue.Reader.TryRead(out var fresh)) _waiting.Add(fresh);

            var now = _time.GetUtcNow();
            var due = _waiting.Where(p => p.DueAt <= now).OrderBy(p => p.DueAt).ToList();
            foreach (var pending in due)
            {
                _waiting.Remove(pending);
                EngineMetrics.CallerMessagesQueued.Dec();
                var again = await SendOnceAsync(pending, stoppingToken).ConfigureAwait(false);
                if (again is not null)
                {
                    _waiting.Add(again);
                    EngineMetrics.CallerMessagesQueued.Inc();
                }
            }

            if (due.Count > 0) continue;
            await WaitForWorkAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task WaitForWorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (_waiting.Count == 0)
            {
                await _queue.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false);
                return;
            }

            var delay = _waiting.Min(p => p.DueAt) - _time.GetUtcNow();
            if (delay <= TimeSpan.Zero) return;
            using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var arrival = _queue.Reader.WaitToReadAsync(wake.Token).AsTask();
            var timer = Task.Delay(delay, _time, wake.Token);
            await Task.WhenAny(arrival, timer).ConfigureAwait(false);
            await wake.CancelAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <returns>The message to try again later, or null when it is done (sent or given up).</returns>
    private async Task<Pending?> SendOnceAsync(Pending pending, CancellationToken stoppingToken)
    {
        var d = pending.Decision;
        try
        {
            await _sender.SendAsync(d.Number, d.Text!, stoppingToken).ConfigureAwait(false);
            EngineMetrics.CallerMessages.WithLabels(d.Stage.ToString(), "sent").Inc();
            Record(d.CallId, "notify.sent", $"{d.Stage} via {_sender.Name}, attempt {pending.Attempt}");
            return null;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            Record(d.CallId, "notify.failed", $"{d.Stage}: the engine stopped before attempt {pending.Attempt} was answered");
            return null;
        }
        catch (Exception ex)
        {
            var transient = ex is not CallerMessageException { Transient: false };
            if (!transient || pending.Attempt >= _options.MaxAttempts)
            {
                EngineMetrics.CallerMessages.WithLabels(d.Stage.ToString(), "failed").Inc();
                LogMessages.CallerMessageFailed(_log, d.CallId, d.Stage.ToString(), pending.Attempt, ex.Message);
                Record(d.CallId, "notify.failed", $"{d.Stage} after {pending.Attempt} attempt(s): {ex.Message}");
                return null;
            }

            var delay = Backoff(pending.Attempt);
            EngineMetrics.CallerMessageRetries.Inc();
            Record(d.CallId, "notify.retry", $"{d.Stage} attempt {pending.Attempt} failed: {ex.Message}; next in {delay.TotalSeconds:0.#} s");
            return pending with { Attempt = pending.Attempt + 1, DueAt = _time.GetUtcNow() + delay };
        }
    }

    /// <summary>First delay, doubling, capped; up to a fifth added at random so a gateway that comes back
    /// is not hit by every waiting message in the same instant.</summary>
    private TimeSpan Backoff(int failedAttempt)
    {
        var doubled = _options.FirstRetryDelay.TotalMilliseconds * Math.Pow(2, failedAttempt - 1);
        var capped = Math.Min(doubled, _options.MaxRetryDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (1 + (_jitter.NextDouble() * 0.2)));
    }

    // The notifier's ledger lines never hold a call up: the journal bounds its own wait, and the
    // notifier does not await it on the caller's path.
    private void Record(string callId, string kind, string detail)
    {
        var write = _journal.AppendAsync(new CallEventRecord(callId, null, _time.GetUtcNow(), kind, detail), CancellationToken.None);
        if (!write.IsCompletedSuccessfully) _ = Observe(write.AsTask(), callId, kind);
    }

    private async Task Observe(Task write, string callId, string kind)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogMessages.CallerMessageRecordFailed(_log, callId, kind, ex.Message);
        }
    }

    private sealed record Pending(NotificationDecision Decision, int Attempt, DateTimeOffset DueAt);
}
