using Routing.Calls.Callbacks;
using Routing.Calls.Ports;
using Routing.Ledger;

namespace Routing.Engine.Callbacks;

/// <summary>
/// The callback tasks as the ledger tells them, and their transitions: each is checked by the task
/// model (<see cref="CallbackTask"/>, clear refusals), then appended to the ledger (write before act:
/// awaited before the caller is told it happened). Transitions are serialised, so two call-takers
/// acting on the same task at once cannot both attempt a transition the other made invalid.
/// </summary>
public sealed class CallbackDesk(LedgerReader reader, ICallJournal journal, TimeProvider time)
{
    private readonly SemaphoreSlim transitions = new(1, 1);

    public async Task<IReadOnlyList<CallbackTask>> ListAsync(bool openOnly, CancellationToken cancellationToken)
    {
        var events = await reader.CallbackEventsAsync(openOnly, null, cancellationToken).ConfigureAwait(false);
        return Tell(events).OrderBy(t => t.OpenedAt).ToList();
    }

    public async Task<CallbackTask?> FindAsync(string callId, CancellationToken cancellationToken) =>
        Tell(await reader.CallbackEventsAsync(false, callId, cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    /// <summary>Applies <paramref name="transition"/> to the task of <paramref name="callId"/>.</summary>
    /// <exception cref="KeyNotFoundException">No callback task for that call.</exception>
    /// <exception cref="CallbackRefusedException">Not allowed in the task's state.</exception>
    public async Task<CallbackTask> TransitionAsync(string callId, Func<CallbackTask, CallbackTransition> transition, CancellationToken cancellationToken)
    {
        await transitions.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var task = await FindAsync(callId, cancellationToken).ConfigureAwait(false)
                ?? throw new KeyNotFoundException($"No callback task for call {callId}.");
            var change = transition(task);
            var at = time.GetUtcNow();
            await journal.AppendAsync(new CallEventRecord(callId, null, at, change.Kind, change.Detail), cancellationToken).ConfigureAwait(false);
            task.Apply(new CallbackEvent(change.Kind, change.Detail, at));
            return task;
        }
        finally
        {
            transitions.Release();
        }
    }

    private static IEnumerable<CallbackTask> Tell(IReadOnlyList<StoredCallbackEvent> events) =>
        events.GroupBy(e => e.CallId)
            .Select(g => CallbackTask.Replay(g.Key, g.First().CallerNumber, g.Select(e => new CallbackEvent(e.Kind, e.Detail, e.At))))
            .OfType<CallbackTask>();
}
