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
/// Calls of other nodes are theirs to close.
/// </summary>
internal sealed class RestartRecovery(
    LedgerReader ledger,
    ICallJournal journal,
    LedgerOptions ledgerOptions,
    CallRegistry registry,
    TimeProvider time,
    ILogger<RestartRecovery> logger)
{
    public async Task<int> CloseOpenCallsAsync(IReadOnlySet<string> heldChannels, CancellationToken cancellationToken)
    {
        var open = await ledger.ListOpenCallsAsync(cancellationToken).ConfigureAwait(false);
        var closed = 0;
        foreach (var stored in open)
        {
            var call = stored.Call;
            if (stored.NodeId != ledgerOptions.NodeId || registry.TryGetByCallId(call.CallId, out _))
            {
                continue;
            }

            var now = time.GetUtcNow();
            if (heldChannels.Contains(call.CallerChannelId))
            {
                await journal.AppendAsync(new CallEventRecord(call.CallId, null, now, "recovered", "caller still in the Stasis app after an engine restart; handed to the dialplan fallback"), cancellationToken).ConfigureAwait(false);
                await journal.AppendAsync(new CallEventRecord(call.CallId, null, now, LedgerEventKinds.Outcome, nameof(CallOutcome.FailedOver)), cancellationToken).ConfigureAwait(false);
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
}
