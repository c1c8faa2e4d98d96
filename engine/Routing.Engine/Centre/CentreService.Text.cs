using Routing.Calls.Centre;
using Routing.Calls.Ports;
using Routing.Engine.Operators;

namespace Routing.Engine.Centre;

/// <summary>
/// Text sessions in the centre: they queue, age and overflow exactly like voice calls (same queue, same rule),
/// but an offer is shown in the position's console instead of ringing its phone, and the call-taker accepts it
/// there (the twin of answering). The centre's own offer timeout still applies: a console that does not accept
/// in time is withdrawn and the position paused "no answer", as a phone that does not pick up.
/// </summary>
internal sealed partial class CentreService
{
    private ITextSessionSink? textSessions;

    /// <summary>Text sessions offered now: session → positions whose console shows it. Loop only.</summary>
    private readonly Dictionary<string, HashSet<string>> textOffers = new(StringComparer.Ordinal);

    /// <summary>Set once at start by the text service (it depends on the centre, so not a constructor argument).</summary>
    public void AttachText(ITextSessionSink sink) => textSessions = sink;

    /// <summary>A call-taker accepts an offered text session in the console: answered once the centre has
    /// decided and written it.</summary>
    public async Task<ApiError?> AcceptTextAsync(OperatorIdentity who, string sessionId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var reply = new TaskCompletionSource<ApiError?>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!Post(new CentreInput.TextAccept(who, sessionId, reply)))
        {
            return new ApiError(503, "unavailable", "the centre is stopping");
        }

        try
        {
            return await reply.Task.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return new ApiError(503, "unavailable", $"the centre did not answer within {timeout}");
        }
    }

    private bool IsText(string callId) => calls.TryGetValue(callId, out var call) && call.Medium == CentreMedium.Text;

    private async Task StartTextOfferAsync(OfferCall offer, OfferTarget target)
    {
        if (!textOffers.TryGetValue(offer.CallId, out var shown)) textOffers[offer.CallId] = shown = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        shown.Add(target.CallTakerId);
        CentreMetrics.Offers.Inc();
        var user = users.GetValueOrDefault(target.CallTakerId);
        await JournalAsync(offer.CallId, "offer",
            $"{target.CallTakerId}{(user is null ? "" : $" ({user})")}, priority {CentreDtoMapping.PriorityName(offer.Priority)}, text: shown in the console").ConfigureAwait(false);
        hub.Publish(new CentreEvent("text.offer", new { position = target.CallTakerId, sessionId = offer.CallId, priority = CentreDtoMapping.PriorityName(offer.Priority), language = offer.Language, answerBy = offer.AnswerBy }, [target.CallTakerId]));
    }

    private async Task WithdrawTextAsync(WithdrawOffer withdraw)
    {
        if (textOffers.TryGetValue(withdraw.CallId, out var shown))
        {
            shown.Remove(withdraw.CallTakerId);
            if (shown.Count == 0) textOffers.Remove(withdraw.CallId);
        }

        await JournalAsync(withdraw.CallId, "offer.withdrawn", $"{withdraw.CallTakerId}: {withdraw.Reason}").ConfigureAwait(false);
        hub.Publish(new CentreEvent("text.offer.withdrawn", new { position = withdraw.CallTakerId, sessionId = withdraw.CallId, reason = withdraw.Reason }, [withdraw.CallTakerId]));
    }

    private async Task<ApiError?> OnTextAcceptAsync(CentreInput.TextAccept accept)
    {
        if (PositionOf(accept.Who.User) is not { } position)
        {
            return new ApiError(409, "state", $"{accept.Who.User} is not logged in to a position");
        }

        if (!IsText(accept.SessionId) || !textOffers.TryGetValue(accept.SessionId, out var shown) || !shown.Contains(position))
        {
            return new ApiError(409, "state", $"text session {Clip(accept.SessionId)} is not offered to {position}");
        }

        var refusal = await ApplyAsync(centre.OfferAnswered(accept.SessionId, position), $"accept text {accept.SessionId}").ConfigureAwait(false);
        return refusal is null ? null : ToApiError(refusal);
    }

    private void AssignText(CallAnswered answered)
    {
        textOffers.Remove(answered.CallId);
        var user = users.GetValueOrDefault(answered.CallTakerId) ?? answered.CallTakerId;
        textSessions?.Assigned(answered.CallId, answered.CallTakerId, user, answered.Waited);
    }
}
