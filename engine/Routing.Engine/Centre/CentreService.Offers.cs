using Microsoft.Extensions.Logging;
using Routing.Calls.Centre;
using Routing.Calls;
using Routing.Calls.Ports;
using Routing.Engine.Operators;

namespace Routing.Engine.Centre;

internal sealed partial class CentreService
{
    /// <summary>Who the call-taker's phone shows as calling: the caller, like an agency sees it.</summary>
    private string CallerIdFor(CentreCall call)
    {
        var number = call.CallerNumber.Length > 0 ? call.CallerNumber : "anonymous";
        return agencyCallerIdTemplate.Replace("{caller}", number, StringComparison.Ordinal);
    }

    /// <summary>Write before act: the offer leg and the offer are on record, and the leg is known to the
    /// dispatcher, before the device is rung. The ring itself runs beside the loop.</summary>
    private async Task StartOfferAsync(OfferCall offer, OfferTarget target, int ringing)
    {
        if (!calls.TryGetValue(offer.CallId, out var call))
        {
            // Cannot happen while calls are only enqueued through Enqueue; report rather than ring blind.
            LogMessages.CentreCallGone(logger, offer.CallId, "offer");
            await ApplyAsync(centre.OfferFailed(offer.CallId, target.CallTakerId, OfferFailure.DeviceError), $"offer {offer.CallId}").ConfigureAwait(false);
            return;
        }

        var n = offerCounts[offer.CallId] = offerCounts.GetValueOrDefault(offer.CallId) + 1;
        var channelId = $"offer-{target.CallTakerId}-{call.CallerChannelId}-{n}";
        var inConsole = centre.Options.OfferModeOf(target.CallTakerId) == OfferMode.Console;
        var leg = new OfferLeg(channelId, offer.CallId, target.CallTakerId, $"{offer.CallId}-offer{n}") { AcceptInConsole = inConsole };
        Offers.Add(leg);
        CentreMetrics.Offers.Inc();
        var now = time.GetUtcNow();
        try
        {
            await journal.LegPlannedAsync(new LegRecord(leg.LegId, offer.CallId, channelId, CentreLeg.Agency, call.Request.Region,
                target.CallTakerId, target.Endpoint, n, now), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stopping)
        {
            LogMessages.CentreJournalFailed(logger, offer.CallId, "leg", ex.Message);
        }

        var user = users.GetValueOrDefault(target.CallTakerId);
        await JournalAsync(offer.CallId, "offer",
            $"{target.CallTakerId}{(user is null ? "" : $" ({user})")}, priority {CentreDtoMapping.PriorityName(offer.Priority)}{(ringing > 1 ? $", ring-all {ringing}" : "")}{(inConsole ? ", accept in the console (auto-answer)" : "")}",
            leg.LegId).ConfigureAwait(false);
        hub.Publish(new CentreEvent("offer", new { position = target.CallTakerId, callId = offer.CallId, priority = CentreDtoMapping.PriorityName(offer.Priority), language = offer.Language }, [target.CallTakerId]));

        // Asterisk's own ring timeout is a little longer than the centre's: the centre withdraws the offer
        // (and pauses the position) itself, so both sides agree on why it ended.
        var ringFor = offer.AnswerBy - now + TimeSpan.FromSeconds(2);
        var request = new DialRequest(channelId, target.Endpoint, CallerIdFor(call), ringFor < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : ringFor,
            [CallClassifier.DialedArg, CentreLeg.Agency, call.CallerChannelId],
            OfferVariables(offer.CallId, target.CallTakerId, call.Request.Region))
        {
            // A video call's offer carries the caller's codecs, video included (DialRequest.MediaFrom).
            MediaFrom = call.Medium == CentreMedium.Voice && video.For(call.Request.Entry) != Routing.Calls.Video.BridgeVideo.None ? call.CallerChannelId : null,
        };
        leg.Dialing = DialOfferAsync(leg, request);
    }

    /// <summary>The offer leg's channel variables; in Console mode also the auto-answer headers (<see cref="AutoAnswer"/>).</summary>
    private Dictionary<string, string> OfferVariables(string callId, string position, string region)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ROUTING112_CALL_ID"] = callId,
            ["ROUTING112_POSITION"] = position,
            ["ROUTING112_REGION"] = region,
        };
        AutoAnswer.AddTo(variables, centre.Options, position);
        return variables;
    }

    private async Task DialOfferAsync(OfferLeg leg, DialRequest request)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10), time);
            await telephony.DialAsync(request, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TelephonyException or OperationCanceledException)
        {
            Post(new CentreInput.OfferDialFailed(leg.ChannelId, ex.Message));
        }
    }

    private async Task WithdrawAsync(WithdrawOffer withdraw)
    {
        if (Offers.Find(withdraw.CallId, withdraw.CallTakerId) is not { } leg)
        {
            return; // its leg already ended: nothing to hang up
        }

        leg.Withdrawn = true;
        await JournalAsync(withdraw.CallId, "offer.withdrawn", $"{withdraw.CallTakerId}: {withdraw.Reason}", leg.LegId).ConfigureAwait(false);
        var reason = withdraw.Reason == "answered-elsewhere" ? HangupReason.AnsweredElsewhere : HangupReason.Normal;
        _ = HangUpOfferAsync(leg, reason);
    }

    /// <summary>Hangs an offer leg up once its originate is done, so the hang-up never overtakes the dial.</summary>
    private async Task HangUpOfferAsync(OfferLeg leg, HangupReason reason)
    {
        await leg.Dialing.ConfigureAwait(false);
        try
        {
            await telephony.HangupAsync(leg.ChannelId, reason, CancellationToken.None).ConfigureAwait(false);
        }
        catch (TelephonyException ex) when (ex.ResourceGone)
        {
            Offers.Remove(leg.ChannelId); // never created, or already gone: no ChannelDestroyed will come
        }
        catch (TelephonyException ex)
        {
            LogMessages.CleanupFailed(logger, leg.ChannelId, ex.Message);
        }
    }

    private async Task OnOfferAnsweredAsync(string channelId)
    {
        if (Offers.Get(channelId) is not { } leg)
        {
            return;
        }

        if (!leg.Withdrawn && leg.AcceptInConsole && !leg.Accepted)
        {
            // The phone answered by itself: the call-taker has not accepted yet. The leg waits, silent, in our
            // app; the offer's own timeout still runs (no accept in time = "no answer", like a phone left ringing).
            leg.DeviceUp = true;
            await JournalAsync(leg.CallId, "offer.device.answered", $"{leg.Position}: phone answered by itself; waiting for the console's accept", leg.LegId).ConfigureAwait(false);
            return;
        }

        var refusal = leg.Withdrawn ? new Refusal(RefusalKind.Stale, "offer withdrawn") : await ApplyAsync(centre.OfferAnswered(leg.CallId, leg.Position), $"answer {leg.CallId}").ConfigureAwait(false);
        if (refusal is not null)
        {
            // Answered after the centre moved on (ring-all lost, timed out, caller gone): release the phone.
            leg.Withdrawn = true;
            await JournalAsync(leg.CallId, "offer.late", $"{leg.Position} answered after the offer was over: released", leg.LegId).ConfigureAwait(false);
            _ = HangUpOfferAsync(leg, HangupReason.AnsweredElsewhere);
        }
    }

    /// <summary>The centre gave the call to the position that answered: the call takes over the leg.</summary>
    private async Task AssignAsync(CallAnswered answered, DateTimeOffset answeredAt)
    {
        var leg = Offers.Find(answered.CallId, answered.CallTakerId);
        tally.RecordAnswered(answered.Waited, answeredAt);
        if (leg is null)
        {
            LogMessages.CentreCallGone(logger, answered.CallId, "answered offer without a leg");
            await ApplyAsync(centre.CallEnded(answered.CallId), $"assign {answered.CallId}").ConfigureAwait(false);
            return;
        }

        var user = users.GetValueOrDefault(answered.CallTakerId) ?? answered.CallTakerId;
        if (registry.TryGetByCallId(answered.CallId, out var call))
        {
            // Map the leg to the call before it is told, so the leg's next event already reaches the call.
            registry.Adopt(call, leg.ChannelId);
            Offers.Remove(leg.ChannelId);
            if (call.Post(new CallInput.CallTakerAssigned(answered.CallTakerId, user, leg.ChannelId, leg.LegId, answered.Waited)))
            {
                return;
            }
        }

        // The call ended while its call-taker picked up: release the phone and the position.
        Offers.Remove(leg.ChannelId);
        await JournalAsync(answered.CallId, "offer.late", $"{answered.CallTakerId} answered as the call ended: released", leg.LegId).ConfigureAwait(false);
        _ = HangUpOfferAsync(leg, HangupReason.Normal);
        await ApplyAsync(centre.CallEnded(answered.CallId), $"assign {answered.CallId}").ConfigureAwait(false);
    }

    private async Task OnOfferEndedAsync(string channelId, OfferFailure failure, string why)
    {
        if (Offers.Get(channelId) is not { } leg)
        {
            return; // answered and handed to its call, or a second report of the same end
        }

        Offers.Remove(channelId);
        if (leg.Withdrawn)
        {
            return;
        }

        await JournalAsync(leg.CallId, "offer.failed", $"{leg.Position}: {why}", leg.LegId).ConfigureAwait(false);
        await ApplyAsync(centre.OfferFailed(leg.CallId, leg.Position, failure), $"offer failed {leg.CallId}").ConfigureAwait(false);
    }
}

/// <summary>How offer legs appear in the ledger and in Stasis args.</summary>
internal static class CentreLeg
{
    /// <summary>The <c>agency</c> of an offer leg in the ledger's legs table, and its Stasis arg.</summary>
    public const string Agency = "calltaker";
}
