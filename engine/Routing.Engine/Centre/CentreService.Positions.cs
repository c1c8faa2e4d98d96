using Routing.Calls.Centre;
using Routing.Engine.Operators;

namespace Routing.Engine.Centre;

internal sealed partial class CentreService
{
    public const int MaxPauseReasonLength = 80;

    /// <summary>The engine's rules (who may act on which position) first, then the domain's (which state
    /// allows what). A refusal changes nothing.</summary>
    private async Task<PositionReply> OnPositionRequestAsync(CentreInput.PositionRequest request)
    {
        var who = request.Who;
        var position = request.Position;
        if (centre.CallTaker(position) is not { } view)
        {
            return Refused(404, "not-found", $"unknown position {Clip(position)}");
        }

        position = view.Id; // configured spelling
        var holder = users.GetValueOrDefault(position);
        var loggedIn = view.State != CallTakerState.LoggedOut;
        if (request.Action == PositionAction.Login)
        {
            if (who.IsSupervisor)
            {
                return Refused(403, "forbidden", "supervisors do not take calls: log in as a call-taker");
            }

            if (loggedIn && holder == who.User)
            {
                return new PositionReply(Dto(position), null); // already logged in here: nothing to do
            }

            if (loggedIn && holder is not null)
            {
                return Refused(403, "forbidden", $"{position} belongs to user {holder}");
            }

            if (PositionOf(who.User) is { } other && !string.Equals(other, position, StringComparison.OrdinalIgnoreCase))
            {
                return Refused(409, "state", $"{who.User} is already logged in to {other}; log out there first");
            }
        }
        else if (!who.IsSupervisor && loggedIn && holder is not null && holder != who.User)
        {
            return Refused(403, "forbidden", $"{position} belongs to user {holder}");
        }

        if (request.Action == PositionAction.Accept)
        {
            return await AcceptAsync(who, view).ConfigureAwait(false);
        }

        if (request.Action == PositionAction.Pause)
        {
            var reason = request.Reason?.Trim() ?? "";
            if (reason.Length == 0)
            {
                return Refused(400, "bad-request", "pause needs a reason, e.g. {\"reason\":\"break\"}");
            }

            if (reason.Length > MaxPauseReasonLength || reason.Any(char.IsControl))
            {
                return Refused(400, "bad-request", $"pause reason must be at most {MaxPauseReasonLength} printable characters");
            }
        }

        var result = request.Action switch
        {
            PositionAction.Login => centre.Login(position),
            PositionAction.Logout => centre.Logout(position),
            PositionAction.Pause => centre.Pause(position, request.Reason!.Trim()),
            _ => centre.Resume(position),
        };
        if (result.Refusal is { } refusal)
        {
            return new PositionReply(null, ToApiError(refusal));
        }

        if (request.Action == PositionAction.Login)
        {
            users[position] = who.User;
        }

        var by = who.IsSupervisor ? $" by supervisor {who.User}" : "";
        await JournalAsync(PositionStoryId(position), $"calltaker.{request.Action.ToString().ToLowerInvariant()}",
            $"{who.User}{by}{(request.Action == PositionAction.Pause ? $": {request.Reason!.Trim()}" : "")}").ConfigureAwait(false);
        await ActAsync(result.Decisions).ConfigureAwait(false);
        return new PositionReply(Dto(position), null);
    }

    /// <summary>Console mode: the call-taker takes the offered call in the console. If the phone has already
    /// answered by itself the caller is put through now; otherwise as soon as it does.</summary>
    private async Task<PositionReply> AcceptAsync(OperatorIdentity who, CallTakerView view)
    {
        var position = view.Id;
        if (who.IsSupervisor)
        {
            return Refused(403, "forbidden", "supervisors do not take calls: log in as a call-taker");
        }

        if (centre.Options.OfferModeOf(position) != OfferMode.Console)
        {
            return Refused(409, "state", $"{position} accepts a call by answering its phone (Centre:OfferMode is Device)");
        }

        if (view.State != CallTakerState.Offered || view.CallId is not { } callId)
        {
            return Refused(409, "state", $"{position} is {view.State}; accept is allowed in Offered");
        }

        if (Offers.Find(callId, position) is not { } leg)
        {
            return Refused(409, "state", $"the offer of call {callId} to {position} is over");
        }

        await JournalAsync(callId, "offer.accepted", $"{position} ({who.User}) in the console{(leg.DeviceUp ? "" : "; the phone has not answered yet")}", leg.LegId).ConfigureAwait(false);
        leg.Accepted = true;
        if (leg.DeviceUp && await ApplyAsync(centre.OfferAnswered(callId, position), $"accept {callId}").ConfigureAwait(false) is { } refusal)
        {
            return new PositionReply(null, ToApiError(refusal));
        }

        return new PositionReply(Dto(position), null);
    }

    private CallTakerDto? Dto(string position) =>
        centre.CallTaker(position) is { } view ? CentreDtoMapping.ToDto(view, users.GetValueOrDefault(view.Id)) : null;

    private static PositionReply Refused(int status, string code, string message) => new(null, new ApiError(status, code, message));

    public static ApiError ToApiError(Refusal refusal) => refusal.Kind switch
    {
        RefusalKind.UnknownCallTaker or RefusalKind.UnknownCall => new ApiError(404, "not-found", refusal.Message),
        RefusalKind.NotYours => new ApiError(403, "forbidden", refusal.Message),
        RefusalKind.Invalid => new ApiError(400, "bad-request", refusal.Message),
        _ => new ApiError(409, "state", refusal.Message),
    };

    private static string Clip(string text) => new(text.Take(40).Where(c => !char.IsControl(c)).ToArray());
}
