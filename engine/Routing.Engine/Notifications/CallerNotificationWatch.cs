using Routing.Calls.Notifications;
using Routing.Calls.Ports;

namespace Routing.Engine.Notifications;

/// <summary>
/// Finds the moments a caller is told about their call in the call's own record, so that no call path
/// (IVR, direct numbers, SOS, call-takers, transfers) needs to know about messages: it wraps the journal
/// every call writes to. A call is "registered" once it is clearly a real report — when it is put through
/// to an agency, or when it ends otherwise (never for silent or prank outcomes unless configured, which the
/// policy decides); "handed to an agency" when an agency leg is bridged; "closed" at its outcome. Records
/// pass through first and unchanged; the notifier only queues, so no call ever waits for a message.
/// Calls recorded after the fact (AMI/CEL fallback records) are not live callers and are not told anything.
/// </summary>
public sealed class CallerNotificationWatch(ICallJournal inner, CallerNotifier notifier, string defaultLanguage) : ICallJournal
{
    /// <summary>Calls watched at once; beyond this the oldest is forgotten (an engine that lost outcomes).</summary>
    public const int MaxWatched = 50_000;

    private readonly Dictionary<string, Watched> _calls = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly Lock _gate = new();

    public async ValueTask CallArrivedAsync(CallRecord call, CancellationToken cancellationToken)
    {
        await inner.CallArrivedAsync(call, cancellationToken).ConfigureAwait(false);
        if (call.Entry.StartsWith("fallback", StringComparison.Ordinal) || call.Entry.StartsWith("callback", StringComparison.Ordinal)) return;
        lock (_gate)
        {
            if (_calls.ContainsKey(call.CallId)) return;
            _calls[call.CallId] = new Watched(call, defaultLanguage);
            _order.Enqueue(call.CallId);
            while (_calls.Count > MaxWatched && _order.TryDequeue(out var oldest)) _calls.Remove(oldest);
        }
    }

    public async ValueTask LegPlannedAsync(LegRecord leg, CancellationToken cancellationToken)
    {
        await inner.LegPlannedAsync(leg, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (_calls.TryGetValue(leg.CallId, out var watched)) watched.LegAgencies[leg.LegId] = leg.Agency;
        }
    }

    public async ValueTask AppendAsync(CallEventRecord callEvent, CancellationToken cancellationToken)
    {
        await inner.AppendAsync(callEvent, cancellationToken).ConfigureAwait(false);
        List<(NotificationStage, NotificationFacts)>? due = null;
        lock (_gate)
        {
            if (!_calls.TryGetValue(callEvent.CallId, out var w)) return;
            switch (callEvent.Kind)
            {
                case "language" when callEvent.Detail.Length is >= 2 and <= 8:
                    w.Language = callEvent.Detail;
                    break;
                case "connected" or "transfer.answered" when !w.Handed:
                    var agency = callEvent.LegId is { } legId && w.LegAgencies.TryGetValue(legId, out var a) ? a : null;
                    if (agency is null || agency == "calltaker") break;
                    due = [];
                    if (!w.Registered) due.Add((NotificationStage.Registered, w.Facts(callEvent.At, null, silentOrPrank: false)));
                    due.Add((NotificationStage.HandedToAgency, w.Facts(callEvent.At, agency, silentOrPrank: false)));
                    w.Registered = w.Handed = true;
                    break;
                case "outcome":
                    _calls.Remove(callEvent.CallId);
                    // The call-taker centre's outcomes for a caller who did not or would not speak.
                    var silent = callEvent.Detail is "Silent" or "Prank";
                    due = [];
                    if (!w.Registered) due.Add((NotificationStage.Registered, w.Facts(callEvent.At, null, silent)));
                    due.Add((NotificationStage.Closed, w.Facts(callEvent.At, null, silent)));
                    break;
            }
        }

        if (due is null) return;
        foreach (var (stage, facts) in due) notifier.Submit(stage, facts);
    }

    private sealed class Watched(CallRecord call, string language)
    {
        public Dictionary<string, string> LegAgencies { get; } = new(StringComparer.Ordinal);

        public string Language { get; set; } = language;

        public bool Registered { get; set; }

        public bool Handed { get; set; }

        public NotificationFacts Facts(DateTimeOffset at, string? agency, bool silentOrPrank) =>
            new(call.CallId, CallerNotificationPolicy.ReferenceFor(call.CallId), call.CallerNumber, Language, agency, silentOrPrank, at);
    }
}
