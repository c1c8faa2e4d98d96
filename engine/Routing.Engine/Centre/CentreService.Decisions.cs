using Microsoft.Extensions.Logging;
using Routing.Calls.Centre;
using Routing.Calls.Ports;

namespace Routing.Engine.Centre;

internal sealed partial class CentreService
{
    /// <summary>Each decision is written to the ledger before it is acted on, in the order the centre made them.</summary>
    private async Task ActAsync(IReadOnlyList<CentreDecision> decisions)
    {
        foreach (var decision in decisions)
        {
            switch (decision)
            {
                case OfferCall offer:
                    foreach (var target in offer.Targets)
                    {
                        if (IsText(offer.CallId))
                        {
                            await StartTextOfferAsync(offer, target).ConfigureAwait(false);
                        }
                        else
                        {
                            await StartOfferAsync(offer, target, offer.Targets.Count).ConfigureAwait(false);
                        }
                    }

                    break;
                case WithdrawOffer withdraw when IsText(withdraw.CallId):
                    await WithdrawTextAsync(withdraw).ConfigureAwait(false);
                    break;
                case WithdrawOffer withdraw:
                    await WithdrawAsync(withdraw).ConfigureAwait(false);
                    break;
                case CallAnswered answered when IsText(answered.CallId):
                    tally.RecordAnswered(answered.Waited, await JournalAnsweredAsync(answered).ConfigureAwait(false));
                    AssignText(answered);
                    break;
                case CallAnswered answered:
                    await AssignAsync(answered, await JournalAnsweredAsync(answered).ConfigureAwait(false)).ConfigureAwait(false);
                    break;
                case AnnouncePosition announce when IsText(announce.CallId):
                    break; // a text caller is not told its place every AnnounceInterval: that would flood its phone
                case AnnouncePosition announce:
                    PostToCall(announce.CallId, new CallInput.QueuePositionAnnounced(announce.Position));
                    break;
                case OverflowCall overflow:
                    await JournalAsync(overflow.CallId, "queue.overflowed", $"{overflow.FromGroup} -> {overflow.ToGroup} ({overflow.Reason})").ConfigureAwait(false);
                    break;
                case HandToFallback fallback:
                    CentreMetrics.HandedToFallback.Inc();
                    if (IsText(fallback.CallId))
                    {
                        await JournalAsync(fallback.CallId, "queue.gaveup", $"{fallback.Reason}: to the text fallback agency").ConfigureAwait(false);
                        textSessions?.GaveUp(fallback.CallId, fallback.Reason);
                        textOffers.Remove(fallback.CallId);
                        calls.Remove(fallback.CallId);
                        break;
                    }

                    await JournalAsync(fallback.CallId, "queue.gaveup", $"{fallback.Reason}: to the dialplan fallback").ConfigureAwait(false);
                    PostToCall(fallback.CallId, new CallInput.CentreGaveUp(fallback.Reason));
                    calls.Remove(fallback.CallId);
                    break;
                case CallTakerChanged changed:
                    await OnCallTakerChangedAsync(changed).ConfigureAwait(false);
                    break;
                case CallReturnedToQueue returned:
                    CentreMetrics.OffersUnanswered.WithLabels(returned.Reason).Inc();
                    await JournalAsync(returned.CallId, "queue.returned", $"{returned.CallTakerId}: {returned.Reason}, paused; the caller keeps its place").ConfigureAwait(false);
                    break;
                case CallLeftQueue left:
                    tally.RecordAbandoned();
                    await JournalAsync(left.CallId, "queue.left", $"{left.Reason} after {CentreDtoMappingSeconds(left.Waited)} s").ConfigureAwait(false);
                    break;
                default:
                    LogMessages.CentreDecisionUnknown(logger, decision.GetType().Name);
                    break;
            }
        }
    }

    /// <summary>The answer and its NENA answer time on record: a restarted engine's wallboard reads its service levels back from it.</summary>
    /// <returns>The instant on record.</returns>
    private async Task<DateTimeOffset> JournalAnsweredAsync(CallAnswered answered)
    {
        var at = time.GetUtcNow();
        await JournalAsync(answered.CallId, Wallboard.WallboardFacts.AnsweredKind, Wallboard.WallboardFacts.AnsweredDetail(answered.CallTakerId, answered.Waited), at: at).ConfigureAwait(false);
        return at;
    }

    private async Task OnCallTakerChangedAsync(CallTakerChanged changed)
    {
        var user = users.GetValueOrDefault(changed.CallTakerId);
        var detail = $"{changed.From} -> {changed.To}{(changed.Reason is { Length: > 0 } r ? $": {r}" : "")}{(user is null ? "" : $" (user {user})")}{(changed.CallId is { } c ? $", call {c}" : "")}";
        await JournalAsync(PositionStoryId(changed.CallTakerId), "calltaker.state", detail).ConfigureAwait(false);
        if (changed.From == CallTakerState.Offered && changed.To == CallTakerState.Paused)
        {
            CentreMetrics.OffersUnanswered.WithLabels(changed.Reason ?? "unknown").Inc();
            if (changed.CallId is { } callId)
            {
                await JournalAsync(callId, "offer.unanswered", $"{changed.CallTakerId}: {changed.Reason}, paused").ConfigureAwait(false);
            }
        }

        if (changed.To == CallTakerState.LoggedOut)
        {
            users.TryRemove(changed.CallTakerId, out _);
        }
    }

    private static double CentreDtoMappingSeconds(TimeSpan span) => Operators.CentreDtoMapping.Seconds(span);
}
