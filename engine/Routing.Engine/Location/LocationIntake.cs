using Microsoft.Extensions.Logging;
using Prometheus;
using Routing.Calls;
using Routing.Calls.Location;
using Routing.Calls.Ports;
using Routing.Calls.Routing;

namespace Routing.Engine.Location;

/// <summary>What became of a location handed in from outside a call's signalling.</summary>
/// <param name="CallId">The call it was recorded on, if any.</param>
internal sealed record IntakeResult(IntakeOutcome Outcome, string? CallId, string Reason);

internal enum IntakeOutcome
{
    /// <summary>Recorded on a live call (which may still route by it) or on one that ended not long ago.</summary>
    Matched,

    /// <summary>No call from that number yet: kept for <c>Routing:Location:AmlEarlyTolerance</c> in case the message overtook its call.</summary>
    Held,

    /// <summary>The fix is older than <c>Routing:Location:AmlMaxAge</c>: matched to no call.</summary>
    Stale,
}

/// <summary>
/// Matches locations that arrive outside a call's own signalling (AML, the SBC's PIDF-LO) to the live or recent
/// call from the same number (<see cref="AmlMatcher"/>), and hands them to that call, which records them before it
/// uses them. A call that has ended gets the location on its record directly (a callback needs it). A message that
/// overtakes its call is held, bounded in count and time, and given to the call when it arrives.
/// </summary>
internal sealed class LocationIntake(RoutingOptions routing, LocationIntakeOptions options, ICallJournal journal, TimeProvider time, ILogger<LocationIntake> log)
{
    private static readonly Counter Reports = Prometheus.Metrics.CreateCounter(
        "routing_location_reports_total", "Locations handed to the engine from outside a call's signalling, by source and what became of them.", "source", "result");

    private readonly object _gate = new();
    private readonly LinkedList<Tracked> _recent = new();
    private readonly LinkedList<Held> _held = new();

    private LocationOptions Trust => routing.Location ?? new LocationOptions();

    /// <summary>A new call: kept as a candidate until long after it ends, and given any message held for its number.</summary>
    public void Track(Call call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var tracked = new Tracked(call, call.Classification.CallerNumber, call.ArrivedAt);
        List<Held> due;
        lock (_gate)
        {
            _recent.AddLast(tracked);
            while (_recent.Count > Math.Max(1, options.RecentCalls) + 64) _recent.RemoveFirst();
            due = TakeHeldFor(tracked);
        }

        _ = call.Completion.ContinueWith(_ => tracked.EndedAt = time.GetUtcNow(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        foreach (var held in due)
        {
            call.Post(held.Input);
            Count(held.Source, "matched");
            LogMessages.LocationMatched(log, Name(held.Source), call.CallId, "held message given to the call that arrived");
        }
    }

    /// <summary>A location (or a refusal, when <paramref name="rejection"/> is set) for the caller <paramref name="number"/>.</summary>
    public async Task<IntakeResult> AcceptAsync(LocationSource source, string number, CallLocation? location, bool routingAllowed, string? rejection, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var trust = Trust;
        // AML is sent when the handset dials: an old one belongs to an earlier emergency. A PIDF-LO may be an old
        // civic address and still right; its age only keeps it from choosing the region (RoutingMaxAge).
        if (source == LocationSource.Aml && location is not null && location.AgeAt(now) > trust.AmlMaxAge)
        {
            Count(source, "stale");
            return new IntakeResult(IntakeOutcome.Stale, null,
                $"stale: the fix is {location.AgeAt(now).TotalSeconds:0} s old, more than Routing:Location:AmlMaxAge {trust.AmlMaxAge}; matched to no call");
        }

        CallInput input = location is not null
            ? new CallInput.LocationReported(location, routingAllowed)
            : new CallInput.LocationRejected(source, rejection ?? "the message carries no position");
        Tracked? match;
        string? reason;
        lock (_gate)
        {
            ExpireHeld(now);
            var candidates = _recent.Select(t => new AmlCandidate(t.Call.CallId, t.Number, t.ArrivedAt, t.EndedAt)).ToList();
            var found = AmlMatcher.Match(new AmlMessage(number, null, null), now, candidates, trust);
            match = found.CallId is { } id ? _recent.FirstOrDefault(t => t.Call.CallId == id) : null;
            reason = found.Reason;
            if (match is null && options.MaxHeld > 0 && trust.AmlEarlyTolerance > TimeSpan.Zero)
            {
                if (_held.Count >= options.MaxHeld) _held.RemoveFirst();
                _held.AddLast(new Held(source, number, input, now));
            }
        }

        if (match is null)
        {
            var held = options.MaxHeld > 0 && trust.AmlEarlyTolerance > TimeSpan.Zero;
            Count(source, held ? "held" : "unmatched");
            var why = held ? $"{reason}; held {trust.AmlEarlyTolerance} for a call that has not arrived yet" : reason ?? "no call";
            LogMessages.LocationHeld(log, Name(source), why);
            return new IntakeResult(IntakeOutcome.Held, null, why);
        }

        if (match.Call.Post(input))
        {
            Count(source, "matched");
            LogMessages.LocationMatched(log, Name(source), match.Call.CallId, "given to the live call");
            return new IntakeResult(IntakeOutcome.Matched, match.Call.CallId, "recorded on the live call");
        }

        // The call has ended: its record still gets the location, for the call-taker who calls back.
        var detail = location is not null ? LocationRecordText.Detail(location) : $"{Name(source)}: {rejection}";
        await journal.AppendAsync(new CallEventRecord(match.Call.CallId, null, now, location is not null ? "location" : "location.rejected", detail), cancellationToken).ConfigureAwait(false);
        await journal.AppendAsync(new CallEventRecord(match.Call.CallId, null, now, "location.late", $"{Name(source)}: arrived after the call ended; kept on its record"), cancellationToken).ConfigureAwait(false);
        Count(source, "late");
        LogMessages.LocationMatched(log, Name(source), match.Call.CallId, "recorded on the ended call");
        return new IntakeResult(IntakeOutcome.Matched, match.Call.CallId, "recorded on the call, which has ended");
    }

    /// <summary>A refusal before any call could be looked for (bad token, too large, malformed without a number).</summary>
    public void Refused(LocationSource source, int status, string result, string reason)
    {
        Count(source, result);
        LogMessages.LocationRefused(log, Name(source), status, reason);
    }

    private List<Held> TakeHeldFor(Tracked call)
    {
        var now = time.GetUtcNow();
        ExpireHeld(now);
        var due = new List<Held>();
        for (var node = _held.First; node is not null;)
        {
            var next = node.Next;
            var candidate = new AmlCandidate(call.Call.CallId, call.Number, call.ArrivedAt, null);
            if (AmlMatcher.Match(new AmlMessage(node.Value.Number, null, null), node.Value.ReceivedAt, [candidate], Trust).CallId is not null)
            {
                due.Add(node.Value);
                _held.Remove(node);
            }

            node = next;
        }

        return due;
    }

    private void ExpireHeld(DateTimeOffset now)
    {
        var limit = Trust.AmlEarlyTolerance;
        while (_held.First is { } first && now - first.Value.ReceivedAt > limit)
        {
            _held.RemoveFirst();
            Count(first.Value.Source, "unmatched");
            LogMessages.LocationHeldExpired(log, Name(first.Value.Source), now - first.Value.ReceivedAt);
        }
    }

    private static void Count(LocationSource source, string result) => Reports.WithLabels(Name(source), result).Inc();

    private static string Name(LocationSource source) => LocationRecordText.SourceName(source);

    private sealed class Tracked(Call call, string number, DateTimeOffset arrivedAt)
    {
        private long _endedTicks = -1;

        public Call Call { get; } = call;

        public string Number { get; } = number;

        public DateTimeOffset ArrivedAt { get; } = arrivedAt;

        public DateTimeOffset? EndedAt
        {
            get => Interlocked.Read(ref _endedTicks) is var t and >= 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;
            set => Interlocked.Exchange(ref _endedTicks, value?.UtcTicks ?? -1);
        }
    }

    private sealed record Held(LocationSource Source, string Number, CallInput Input, DateTimeOffset ReceivedAt);
}
