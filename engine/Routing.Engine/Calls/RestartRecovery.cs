using Microsoft.Extensions.Logging;
using Routing.Asterisk.Ari;
using Routing.Calls;
using Routing.Calls.Ports;
using Routing.Calls.Routing;
using Routing.Ledger;

namespace Routing.Engine.Calls;

/// <summary>
/// After a crash or restart, the ledger may hold calls of this node that never got an outcome.
/// Each is closed explicitly, never left "unknown": a caller still in our app is handed to the
/// dialplan by the reconciler, and recorded FailedOver only once that worked; one whose channel is
/// gone was lost while the engine was away (LostDuringOutage, with a call back), unless it had
/// reached an agency (Completed: that conversation ended while the engine was away) or the dialplan
/// itself had routed it (FailedOver). A caller still talking to an agency in a bridge an earlier run
/// made is left talking and adopted (<see cref="AdoptedConversations"/>), which closes it when it ends.
/// Calls of other nodes are theirs to close. A text session (no channel: entry <c>text:…</c>) is no caller who was
/// gone: the text service takes it back (<see cref="Text.TextService"/>, adoption); where this engine reads no texts
/// (centre or text off) it is closed here as it stood, with the outcome its state gives (<see cref="Routing.Calls.Text.TextSession"/>).
/// </summary>
internal sealed class RestartRecovery(
    LedgerReader ledger,
    ICallJournal journal,
    LedgerOptions ledgerOptions,
    CallRegistry registry,
    AdoptedConversations adopted,
    TimeProvider time,
    ILogger<RestartRecovery> logger,
    Text.TextService? textService = null)
{
    /// <summary>The ledger event of a hand-over the reconciler had to repeat for a call that already ended.</summary>
    public const string HandOverRetried = "handover.retried";

    /// <summary>Only calls from before this run are an earlier run's to close; a call of this run
    /// whose outcome is still on its way to the database must not be closed twice.</summary>
    private readonly DateTimeOffset startedAt = time.GetUtcNow();

    /// <summary>Set once no call of an earlier run is left open: from then on there is nothing to
    /// look for, and the sweep no longer queries the ledger for it.</summary>
    private bool earlierRunClosed;

    /// <param name="heldChannels">Channels our Stasis app holds now.</param>
    /// <param name="talking">Channels in an unowned bridge with an agency: those calls are still going on.</param>
    public async Task<int> CloseOpenCallsAsync(IReadOnlySet<string> heldChannels, IReadOnlySet<string> talking, CancellationToken cancellationToken)
    {
        if (earlierRunClosed)
        {
            return 0;
        }

        var open = await ledger.ListOpenCallsAsync(cancellationToken).ConfigureAwait(false);
        var closed = new Dictionary<CallOutcome, int>();
        var stillGoing = 0;
        foreach (var stored in open)
        {
            var call = stored.Call;
            if (stored.NodeId != ledgerOptions.NodeId
                || call.ArrivedAt >= startedAt
                || registry.TryGetByCallId(call.CallId, out _)
                || registry.TryGetByChannel(call.CallerChannelId, out _))
            {
                continue;
            }

            if (call.Entry.StartsWith(Text.TextService.EntryPrefix, StringComparison.Ordinal))
            {
                if (textService is not null)
                {
                    continue; // the text service adopts it
                }

                var textOutcome = await CloseTextSessionAsync(call, cancellationToken).ConfigureAwait(false);
                closed[textOutcome] = closed.GetValueOrDefault(textOutcome) + 1;
                continue;
            }

            if (talking.Contains(call.CallerChannelId) || heldChannels.Contains(call.CallerChannelId) || adopted.Holds(call.CallerChannelId))
            {
                // Still talking or its adopted conversation is being closed (AdoptedConversations records
                // it), or held: the reconciler hands it over, and HandOverDoneAsync closes it once that has worked.
                stillGoing++;
                continue;
            }

            var (note, outcome) = await VerdictAsync(call, cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            if (outcome == CallOutcome.LostDuringOutage)
            {
                await journal.AppendAsync(new CallEventRecord(call.CallId, null, now, "callback.required", $"{call.CallerNumber} lost while the engine was down"), cancellationToken).ConfigureAwait(false);
            }

            await journal.AppendAsync(new CallEventRecord(call.CallId, null, now, "recovered", note), cancellationToken).ConfigureAwait(false);
            await journal.AppendAsync(new CallEventRecord(call.CallId, null, now, LedgerEventKinds.Outcome, outcome.ToString()), cancellationToken).ConfigureAwait(false);
            closed[outcome] = closed.GetValueOrDefault(outcome) + 1;
        }

        var total = closed.Values.Sum();
        if (total > 0)
        {
            LogMessages.OpenCallsClosedAfterRestart(
                logger,
                total,
                closed.GetValueOrDefault(CallOutcome.Completed),
                closed.GetValueOrDefault(CallOutcome.LostDuringOutage),
                closed.GetValueOrDefault(CallOutcome.FailedOver));
        }

        earlierRunClosed = stillGoing == 0;
        return total;
    }

    /// <summary>
    /// Puts on record a caller the reconciler is about to hand to the dialplan, before any request goes to
    /// Asterisk (write before act, as a call's own failover: <see cref="FailoverEvents"/>): the open call of an
    /// earlier run, or — if no call of ours ever recorded it (its StasisStart was lost) — a call recorded now, so
    /// that no 112 call is routed without a trace, gets <c>recovered</c> and <c>failover</c> (the target). A call
    /// that already has its outcome (its own hand-over got no answer under load and left the caller in our app)
    /// gets the repeated hand-over as <see cref="HandOverRetried"/>, never a second outcome (ARCHITECTURE: exactly
    /// one). The result follows: <see cref="HandOverDoneAsync"/> or <see cref="HandOverFailedAsync"/>.
    /// </summary>
    public async Task<OrphanHandOver> HandOverStartingAsync(AriChannel channel, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var known = await ledger.FindByCallerChannelAsync(channel.Id, cancellationToken).ConfigureAwait(false);
        string callId;
        if (known.Count > 0)
        {
            callId = known[0].Call.CallId;
            var history = await ledger.GetCallAsync(callId, cancellationToken).ConfigureAwait(false);
            if (history is { IsOpen: false })
            {
                var outcome = history.Events.First(e => e.Event.Kind == LedgerEventKinds.Outcome).Event.Detail;
                await journal.AppendAsync(new CallEventRecord(callId, null, now, HandOverRetried, $"caller still in our Stasis app after the call ended ({outcome}); handing it to the dialplan fallback again"), cancellationToken).ConfigureAwait(false);
                LogMessages.HandOverRetried(logger, channel.Id, callId, outcome);
                return new OrphanHandOver(callId, channel.Id, Retried: true);
            }
        }
        else
        {
            callId = Guid.CreateVersion7(now).ToString();
            await journal.CallArrivedAsync(
                new CallRecord(
                    callId,
                    CallerText.CleanText(channel.Id),
                    CallerText.NormaliseNumber(channel.Caller?.Number),
                    CallerText.CleanText(channel.Dialplan?.Exten),
                    "recovered",
                    channel.CreationTime ?? now),
                cancellationToken).ConfigureAwait(false);
        }

        await journal.AppendAsync(new CallEventRecord(callId, null, now, "recovered", "caller found in our Stasis app with no live call"), cancellationToken).ConfigureAwait(false);
        await journal.AppendAsync(new CallEventRecord(callId, null, now, FailoverEvents.Tried, "orphan caller: to the dialplan fallback"), cancellationToken).ConfigureAwait(false);
        return new OrphanHandOver(callId, channel.Id, Retried: false);
    }

    /// <summary>The hand-over worked: the call of an earlier run (or the one recorded for it) is closed FailedOver.
    /// A retried hand-over's call had its outcome already.</summary>
    public async Task HandOverDoneAsync(OrphanHandOver handOver, CancellationToken cancellationToken)
    {
        if (!handOver.Retried)
        {
            await journal.AppendAsync(new CallEventRecord(handOver.CallId, null, time.GetUtcNow(), LedgerEventKinds.Outcome, nameof(CallOutcome.FailedOver)), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The hand-over announced did not happen: <c>failover.failed</c> with Asterisk's error (or the timeout). The
    /// call stays open: a caller still in our app is tried again by the next pass (a new <c>failover</c>), and one
    /// who is gone is closed by <see cref="CloseOpenCallsAsync"/> with its verdict, since its channel is no longer held.
    /// </summary>
    public async Task HandOverFailedAsync(OrphanHandOver handOver, string step, string error, CancellationToken cancellationToken) =>
        await journal.AppendAsync(
            new CallEventRecord(handOver.CallId, null, time.GetUtcNow(), FailoverEvents.Failed, $"{step} {handOver.CallerChannelId}: {CallerText.CleanText(error, 200)}"),
            cancellationToken).ConfigureAwait(false);

    /// <summary>An earlier run's text session where this engine reads no texts: ended as it stood, never "lost" (the caller
    /// was not waiting on a line; the desk or agency that had it still has it).</summary>
    private async Task<CallOutcome> CloseTextSessionAsync(CallRecord call, CancellationToken cancellationToken)
    {
        var history = await ledger.GetCallAsync(call.CallId, cancellationToken).ConfigureAwait(false);
        var gateway = call.Entry[Text.TextService.EntryPrefix.Length..];
        var session = Routing.Calls.Text.TextSession.Restore(call.CallId, gateway, new Routing.Calls.Text.TextGatewayOptions { Endpoint = call.CallerChannelId }, call.CallerNumber, call.ArrivedAt,
            history?.Events.Select(e => new Routing.Calls.Text.TextLedgerEvent(e.Event.Kind, e.Event.Detail, e.Event.At)) ?? []);
        var now = time.GetUtcNow();
        var stood = session?.State.ToString() ?? "unknown";
        const string Reason = "this engine reads no texts (Centre or Text off): closed as it stood";
        session?.Close(null, Reason, now);
        var outcome = session?.Outcome ?? CallOutcome.AbandonedInQueue;
        await journal.AppendAsync(new CallEventRecord(call.CallId, null, now, "recovered", $"text session open when the earlier run ended ({stood})"), cancellationToken).ConfigureAwait(false);
        await journal.AppendAsync(new CallEventRecord(call.CallId, null, now, "text.closed", Reason), cancellationToken).ConfigureAwait(false);
        await journal.AppendAsync(new CallEventRecord(call.CallId, null, now, LedgerEventKinds.Outcome, outcome.ToString()), cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    private async Task<(string Note, CallOutcome Outcome)> VerdictAsync(CallRecord call, CancellationToken cancellationToken)
    {
        if (call.Entry == FallbackCallTracker.Entry)
        {
            return ("the dialplan routed this call; its end was not seen over AMI", CallOutcome.FailedOver);
        }

        var history = await ledger.GetCallAsync(call.CallId, cancellationToken).ConfigureAwait(false);
        var connected = history is not null && history.Events.Any(e =>
            e.Event.Kind == "state" && e.Event.Detail.EndsWith("-> " + nameof(CallState.Connected), StringComparison.Ordinal));
        return connected
            ? ("the bridged call ended while the engine was away", CallOutcome.Completed)
            : ("the caller was gone when the engine came back", CallOutcome.LostDuringOutage);
    }
}

/// <summary>A hand-over of an orphan caller the ledger has been told of (<see cref="RestartRecovery.HandOverStartingAsync"/>).</summary>
/// <param name="Retried">The call had its outcome already: this hand-over repeats its own.</param>
internal sealed record OrphanHandOver(string CallId, string CallerChannelId, bool Retried);
