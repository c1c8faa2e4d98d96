using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Routing.Ledger;

namespace Routing.Engine.Wallboard;

/// <summary>
/// At start, folds the ledger's last <see cref="WallboardHistory.Keep"/> before <see cref="WallboardHistory.LiveSince"/>
/// into the wallboard's history, so an engine restarted mid-shift (crash, upgrade) shows the shift's service
/// levels, calls per minute and trunk failures — also from a ledger written before <c>queue.answered</c> existed. Runs beside the calls, never before them: the engine takes
/// calls at once, and the cut at <c>LiveSince</c> keeps a fact from being counted both live and from the ledger.
/// A ledger that cannot be read is logged and the history goes on with what happens from start.
/// </summary>
/// <param name="spoolReplayed">Whether the records an earlier (crashed) run left in the ledger's spool are in the
/// database yet (<see cref="LedgerJournal.SpoolReplayCommitted"/>); the seed waits for them, at most <see cref="MaxReplayWait"/>.</param>
internal sealed class WallboardSeeder(WallboardHistory history, LedgerReader ledger, ILogger<WallboardSeeder> logger, Func<bool>? spoolReplayed = null) : BackgroundService
{
    public static readonly TimeSpan MaxReplayWait = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan ReplayPoll = TimeSpan.FromMilliseconds(100);

    /// <summary>Caps on what is read (the newest are kept): 13 h of a busy centre at 2 calls a second.
    /// Each fact read is an instant and a short detail, so the most a seed holds is a few MB, once.</summary>
    public const int MaxArrivals = 100_000;

    public const int MaxAnswers = 100_000;

    public const int MaxTrunkFailures = 20_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var to = history.LiveSince;
        var from = to - WallboardHistory.Keep;
        try
        {
            await WaitForSpoolReplayAsync(stoppingToken).ConfigureAwait(false);

            var arrivals = await ReadAsync(WallboardFacts.StateKind, WallboardFacts.ArrivalPrefix, "arrivals", MaxArrivals).ConfigureAwait(false);
            var answers = await ReadAsync(WallboardFacts.AnsweredKind, null, "answers", MaxAnswers).ConfigureAwait(false);
            var failures = await ReadAsync(WallboardFacts.LegFailedKind, null, "trunk failures", MaxTrunkFailures).ConfigureAwait(false);
            // Calls recorded before queue.answered existed (a ledger from before the upgrade): their answers as
            // the call-taker joining, since the call first entered the queue.
            var joined = await ledger.EventSpanFactsAsync(
                WallboardFacts.JoinedKind, WallboardFacts.QueueEnteredKind, WallboardFacts.AnsweredKind, from, to, MaxAnswers, stoppingToken).ConfigureAwait(false);
            if (joined.Count == MaxAnswers)
            {
                LogMessages.WallboardSeedCapped(logger, MaxAnswers, "answers without queue.answered", from);
            }

            var seed = WallboardSeed.Fold(arrivals, answers, failures, joined);
            if (seed.Unreadable > 0)
            {
                LogMessages.WallboardSeedUnreadable(logger, seed.Unreadable);
            }

            history.Seed(seed);
            LogMessages.WallboardSeeded(logger, from, arrivals.Count, seed.Answers.Count, seed.Trunks.Sum(t => t.Failures), history.ShiftStart);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            history.SeedFailed();
        }
        catch (Exception ex)
        {
            LogMessages.WallboardSeedFailed(logger, ex.Message, ex);
            history.SeedFailed();
        }

        async Task WaitForSpoolReplayAsync(CancellationToken cancellationToken)
        {
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (spoolReplayed is not null && !spoolReplayed())
            {
                if (waited.Elapsed >= MaxReplayWait)
                {
                    LogMessages.WallboardSeedReplayPending(logger, MaxReplayWait);
                    return;
                }

                await Task.Delay(ReplayPoll, cancellationToken).ConfigureAwait(false);
            }
        }

        async Task<IReadOnlyList<EventFact>> ReadAsync(string kind, string? prefix, string what, int limit)
        {
            var facts = await ledger.EventFactsAsync(kind, prefix, from, to, limit, stoppingToken).ConfigureAwait(false);
            if (facts.Count == limit)
            {
                LogMessages.WallboardSeedCapped(logger, limit, what, from);
            }

            return facts;
        }
    }
}
