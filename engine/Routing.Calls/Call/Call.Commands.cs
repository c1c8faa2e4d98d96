using Routing.Calls.Ports;
using Routing.Calls.Routing;

namespace Routing.Calls;

public sealed partial class Call
{
    private enum CommandResult
    {
        Done,
        /// <summary>Asterisk says the channel/bridge/playback no longer exists (404).</summary>
        Gone,
        Failed,
    }

    /// <summary>
    /// Runs one telephony command, bounded by Timers.Answer (a command that hangs must not freeze the
    /// call's loop). Failures never escape: they are journalled as <c>command.failed</c> and returned.
    /// When <paramref name="goneIsExpected"/>, a 404 is a race the call expects to lose now and then
    /// (the thing finished on its own meanwhile): counted, not journalled, since nothing happened.
    /// </summary>
    private async Task<CommandResult> CommandAsync(string command, string target, Func<CancellationToken, Task> action, bool goneIsExpected = false) =>
        (await CommandWithErrorAsync(command, target, action, goneIsExpected)).Result;

    /// <summary>As <see cref="CommandAsync"/>, with what Asterisk (or the timeout) said when it did not
    /// work, for a step whose failure has its own ledger event (<c>failover.failed</c>).</summary>
    private async Task<(CommandResult Result, string? Error)> CommandWithErrorAsync(
        string command, string target, Func<CancellationToken, Task> action, bool goneIsExpected = false)
    {
        await SettleJournalAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout, _deps.Time);
        try
        {
            await action(timeout.Token);
            return (CommandResult.Done, null);
        }
        catch (TelephonyException ex) when (ex.ResourceGone && goneIsExpected)
        {
            Notify(nameof(ICallObserver.ExpectedRaceLost), o => o.ExpectedRaceLost(command));
            return (CommandResult.Gone, ex.Reason);
        }
        catch (TelephonyException ex) when (ex.ResourceGone)
        {
            await JournalAsync("command.gone", $"{command} {target}: {ex.Message}", _walker.LegIdOf(target));
            return (CommandResult.Gone, ex.Reason);
        }
        catch (TelephonyException ex)
        {
            return await FailedAsync(ex.Message, ex.Reason);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            var error = $"no answer within {CommandTimeout}";
            return await FailedAsync(error, error);
        }

        async Task<(CommandResult, string?)> FailedAsync(string error, string reason)
        {
            CallLog.CommandFailed(_log, CallId, command, target, error);
            await JournalAsync("command.failed", $"{command} {target}: {CallerText.CleanText(error, 200)}", _walker.LegIdOf(target));
            return (CommandResult.Failed, reason);
        }
    }

    /// <summary>A command on the caller's channel. If the channel is gone the caller has hung up:
    /// that is raised as <see cref="CallTrigger.CallerHungUp"/> and the caller of this method stops.</summary>
    private async Task<CommandResult> CallerCommandAsync(string command, Func<CancellationToken, Task> action)
    {
        if (_callerGone) return CommandResult.Gone;
        var result = await CommandAsync(command, CallerChannelId, action);
        if (result == CommandResult.Gone)
        {
            _callerGone = true;
            await RaiseAsync(CallTrigger.CallerHungUp);
        }
        return result;
    }

    private TimeSpan CommandTimeout => _options.Timers.Answer > TimeSpan.Zero ? _options.Timers.Answer : TimeSpan.FromSeconds(5);

    /// <summary>Appends to the call's record. Written before the next act (<see cref="SettleJournalAsync"/>),
    /// not waited for on its own; a failing journal never stops routing: the ledger has its own spool, and
    /// a caller must not wait on a database.</summary>
    private Task JournalAsync(string kind, string detail, string? legId = null)
    {
        // No cancellation: the ledger bounds its own write time (ICallJournal contract).
        Unsettled(kind, () => _deps.Journal.AppendAsync(new CallEventRecord(CallId, legId, _deps.Time.GetUtcNow(), kind, detail), CancellationToken.None));
        return Task.CompletedTask;
    }

    private Task JournalWriteAsync(string kind, Func<ValueTask> write)
    {
        Unsettled(kind, write);
        return Task.CompletedTask;
    }

    /// <summary>Hands the record to the journal now (it takes records in this order and writes them in it) and
    /// keeps its write to be waited for before the call next acts.</summary>
    private void Unsettled(string kind, Func<ValueTask> append)
    {
        ValueTask write;
        try
        {
            write = append();
        }
        catch (Exception ex)
        {
            CallLog.JournalFailed(_log, CallId, kind, ex);
            return;
        }

        if (write.IsCompletedSuccessfully)
        {
            write.GetAwaiter().GetResult(); // a ValueTask is consumed once, even when it is already done
            return;
        }

        _unsettled.Add((kind, write));
    }

    /// <summary>
    /// Write before act: waits until every record the call has handed to the journal is written (or the
    /// ledger's own bound has passed, ICallJournal contract), before a telephony command, an answer to an
    /// operator, and at the end of each input. The records between two acts (a StasisStart's state changes,
    /// classification, plan and leg) are therefore waited for once, as the one group commit the journal makes
    /// of them, not one by one: eight waits in a row sat between a caller's StasisStart and its agency's
    /// INVITE, each a hop through the ledger's writer and the thread pool (issue 11, item 2: the route's p99).
    /// </summary>
    private async ValueTask SettleJournalAsync()
    {
        if (_unsettled.Count == 0) return;
        // Only the call's own loop appends and settles, so the list does not change under this loop's awaits.
        for (var i = 0; i < _unsettled.Count; i++)
        {
            var (kind, write) = _unsettled[i];
            try
            {
                await write;
            }
            catch (Exception ex)
            {
                CallLog.JournalFailed(_log, CallId, kind, ex);
            }
        }

        _unsettled.Clear();
    }

    /// <summary>Observers only bump counters; one that throws must not disturb the call.</summary>
    private void Notify(string listener, Action<ICallObserver> notify)
    {
        try
        {
            notify(_deps.Observer);
        }
        catch (Exception ex)
        {
            CallLog.ListenerFailed(_log, CallId, listener, ex);
        }
    }

    private void RaiseLegChannelPlanned(string legChannelId)
    {
        try
        {
            LegChannelPlanned?.Invoke(legChannelId);
        }
        catch (Exception ex)
        {
            CallLog.ListenerFailed(_log, CallId, nameof(LegChannelPlanned), ex);
        }
    }
}
