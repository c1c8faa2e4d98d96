using Microsoft.Extensions.Logging;
using Routing.Calls;
using Routing.Calls.Ports;
using Routing.Ledger;

namespace Routing.Engine.Calls;

/// <summary>
/// After a crash or restart, the ledger may hold calls of this node that never got an outcome.
/// Each is closed explicitly, never left "unknown": a caller still in our app is handed to the
/// dialplan fallback by the reconciler (FailedOver); one whose channel is gone was lost while the
/// engine was away (LostDuringOutage) and needs a call back.
/// A caller still talking to an agency in a bridge an earlier run made is left alone until that
/// conversation ends; then the call is closed as Completed. Calls of other nodes are theirs to close.
/// </summary>
internal sealed class RestartRecovery(
    LedgerReader ledger,
    ICallJournal journal,
    LedgerOptions ledgerOptions,
    CallRegistry registry,
    TimeProvider time,
    ILogger<RestartRecovery> logger)
{
    /// <summary>Only calls from before this run are an earlier run's to close; a call of this run
    /// whose outcome is still on its way to the database must not be closed twice.</summary>
    private readonly DateTimeOffset startedAt = time.GetUtcNow();

    /// <param name="heldChannels">Channels our Stasis app holds now.</param>
    /// <param name="talking">Channels in an unowned bridge with an agency: those calls are still going on.</param>
    public async Task<int> CloseOpenCallsAsync(IReadOnlySet<string> heldChannels, IReadOnlySet<string> talking, CancellationToken cancellationToken)
    {
        var open = await ledger.ListOpenCallsAsync(cancellationToken).ConfigureAwait(false);
        var closed = 0;
        foreach (var stored in open)
        {
            var call = stored.Call;
            if (stored.NodeId != ledgerOptions.NodeId
                || call.ArrivedAt >= startedAt
                || registry.TryGetByCallId(call.CallId, out _)
                || registry.TryGetByChannel(call.CallerChannelId, out _)
                || talking.Contains(call.CallerChannelId))
            {
                continue;
            }

            var now = time.GetUtcNow();
            if (heldChannels.Contains(call.CallerChannelId))
            {
                await journal.AppendAsync(new CallEventRecord(call.CallId, null, now, "recovered", "caller still in the Stasis app after an engine restart; handed to the dialplan fallback"), cancellationToken).ConfigureAwait(false);
                await journal.AppendAsync(new CallEventRecord(call.CallId, null, now, LedgerEventKinds.Outcome, nameof(CallOutcome.FailedOver)), cancellationToken).ConfigureAwait(false);
            }
            else if (await WasConnectedAsync(call.CallId, cancellationToken).ConfigureAwait(false))
            {
                await journal.AppendAsync(new CallEventRecord(call.CallId, null, now, "recovered", "the bridged call ended while the engine was away"), cancellationToken).ConfigureAwait(false);
                await journal.AppendAsync(new CallEventRecord(call.CallId, null, now, LedgerEventKinds.Outcome, nameof(CallOutcome.Completed)), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await journal.AppendAsync(new CallEventRecord(call.CallId, null, now, "callback.required", $"{call.CallerNumber} lost while the engine was down"), cancellationToken).ConfigureAwait(false);
                await journal.AppendAsync(new CallEventRecord(call.CallId, null, now, LedgerEventKinds.Outcome, nameof(CallOutcome.LostDuringOutage)), cancellationToken).ConfigureAwait(false);
            }

            closed++;
        }

        if (closed > 0)
        {
            LogMessages.OpenCallsClosedAfterRestart(logger, closed);
        }

        return closed;
    }

    private async Task<bool> WasConnectedAsync(string callId, CancellationToken cancellationToken)
    {
        var history = await ledger.GetCallAsync(callId, cancellationToken).ConfigureAwait(false);
        return history is not null && history.Events.Any(e =>
            e.Event.Kind == "state" && e.Event.Detail.EndsWith("-> " + nameof(CallState.Connected), StringComparison.Ordinal));
    }
}
