using Routing.Calls.Centre;
using Routing.Calls.Ports;
using Routing.Calls.Text;

namespace Routing.Engine.Text;

internal sealed partial class TextService
{
    /// <summary>The ledger entry of every text session: <c>text:&lt;gateway&gt;</c>.</summary>
    public const string EntryPrefix = "text:";

    /// <summary>
    /// A text conversation outlives the engine that held it: the open sessions an earlier run of this node left in the
    /// ledger (a clean stop leaves them open on purpose, a crash cannot close them) are taken back before any new input
    /// is read, as restart recovery takes back the calls. One idle past <see cref="TextOptions.IdleTimeout"/> ends now
    /// with the outcome it would have had then; a waiting one queues again; one a call-taker held goes back to the
    /// queue (the centre starts with nobody busy); one with an agency stays there, its caller's next message and the
    /// agency's replies relayed as before. Each step is on record first (<c>text.adopted</c>, <c>text.requeued</c>).
    /// </summary>
    private async Task AdoptOpenSessionsAsync(CancellationToken cancellationToken)
    {
        if (ledger is null) return;
        IReadOnlyList<Routing.Ledger.StoredCall> open;
        try
        {
            open = await ledger.ListOpenCallsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogMessages.TextAdoptionFailed(logger, ex.Message);
            return;
        }

        var adopted = 0;
        foreach (var stored in open.Where(s => s.NodeId == nodeId && s.Call.Entry.StartsWith(EntryPrefix, StringComparison.Ordinal) && s.Call.ArrivedAt < startedAt))
        {
            try
            {
                adopted += await AdoptAsync(stored.Call, cancellationToken).ConfigureAwait(false) ? 1 : 0;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogMessages.TextAdoptionFailed(logger, $"{stored.Call.CallId}: {ex.Message}");
            }
        }

        if (adopted > 0) LogMessages.TextSessionsAdopted(logger, adopted);
    }

    private async Task<bool> AdoptAsync(CallRecord call, CancellationToken cancellationToken)
    {
        var history = await ledger!.GetCallAsync(call.CallId, cancellationToken).ConfigureAwait(false);
        if (history is null || !history.IsOpen || desk.Find(call.CallId) is not null) return false;
        var gateway = call.Entry[EntryPrefix.Length..];
        var known = Options.Gateways.TryGetValue(gateway, out var options);
        // A gateway taken out of the configuration meanwhile: its session cannot go on here, but still ends on record.
        options ??= new TextGatewayOptions { Endpoint = call.CallerChannelId.StartsWith(EntryPrefix, StringComparison.Ordinal) ? call.CallerChannelId[EntryPrefix.Length..] : call.CallerChannelId };
        var session = TextSession.Restore(call.CallId, gateway, options, call.CallerNumber, call.ArrivedAt,
            history.Events.Select(e => new TextLedgerEvent(e.Event.Kind, e.Event.Detail, e.Event.At)));
        if (session is null) return false;
        var now = time.GetUtcNow();
        var stood = session.State == TextSessionState.WithCallTaker ? $"with {session.CallTaker}" : session.State == TextSessionState.WithAgency ? $"with agency {session.Agency}" : session.State.ToString();

        var why = !known ? $"gateway {gateway} is no longer configured"
            : session.State == TextSessionState.WithAgency && !Options.HasDesk(session.Agency!) ? $"agency {session.Agency} has no text desk in this configuration"
            : !desk.Adopt(session) ? "a newer session of this caller is open"
            : null;
        if (why is not null)
        {
            await JournalAsync(session.Id, "recovered", $"text session open when the earlier run ended ({stood}); {why}: closed as it stood").ConfigureAwait(false);
            await CloseUnheldAsync(session, "closed after the engine came back").ConfigureAwait(false);
            return false;
        }

        if (session.IdleSince(now, Options.IdleTimeout))
        {
            await JournalAsync(session.Id, "recovered", $"text session open when the earlier run ended ({stood}), idle since {session.LastActivity:O}").ConfigureAwait(false);
            await CloseAsync(session, null, $"idle: no message for {Options.IdleTimeout} (closed by the engine that came back)", inCentre: false).ConfigureAwait(false);
            return true;
        }

        await JournalAsync(session.Id, "text.adopted", $"open when the earlier run ended ({stood}, {session.Messages.Count} messages): this engine goes on with it").ConfigureAwait(false);
        if (session.State == TextSessionState.WithCallTaker)
        {
            var held = session.CallTaker;
            session.Requeue(now);
            await JournalAsync(session.Id, "text.requeued", $"{held} held it when the engine stopped: back in the queue, transcript and classification kept").ConfigureAwait(false);
        }

        if (session.State == TextSessionState.Waiting)
        {
            queue.Enqueue(new CentreCall(new QueueRequest(session.Id, session.Entry, session.Region, session.Language), session.Number, $"text:{session.Id}", CentreMedium.Text));
        }

        PublishSession(session);
        return true;
    }

    /// <summary>Ends a restored session the desk does not hold: outcome on record, nothing else to free.</summary>
    private async Task CloseUnheldAsync(TextSession session, string reason)
    {
        if (session.Close(null, reason, time.GetUtcNow()) is not null) return;
        await JournalAsync(session.Id, "text.closed", reason).ConfigureAwait(false);
        await JournalAsync(session.Id, "outcome", session.Outcome!.Value.ToString()).ConfigureAwait(false);
        TextMetrics.Closed.WithLabels(session.Outcome!.Value.ToString()).Inc();
    }
}
