using Routing.Calls;
using Routing.Calls.Ports;
using Routing.Calls.Text;
using Routing.Engine.Operators;

namespace Routing.Engine.Text;

internal sealed partial class TextService
{
    private async Task<ApiError?> OnOperatorAsync(TextInput.Operator request)
    {
        if (desk.Find(request.SessionId) is not { } session)
        {
            return new ApiError(404, "not-found", $"no open text session {Clip(request.SessionId)}");
        }

        var by = $"{request.Position} ({request.Who.User})";
        switch (request.Action)
        {
            case TextAction.Reply reply:
            {
                if (session.MayWrite(request.Position) is { } refused) return Refused(session, refused);
                var body = TextBody.Clean(reply.Text, Options.MaxReplyLength);
                if (body.Text.Length == 0) return new ApiError(400, "bad-request", "text is empty");
                var sent = session.Sent(body.Text, time.GetUtcNow(), request.Position);
                await JournalAsync(session.Id, "text.out", $"#{sent.Seq} by {by}: {sent.Text}").ConfigureAwait(false);
                TextMetrics.Messages.WithLabels("out").Inc();
                SendToCaller(session, sent.Text);
                PublishMessage(session, sent);
                return null;
            }

            case TextAction.Classify classify:
            {
                if (session.Classify(request.Position, classify.Kind, classify.Agency, Clean(classify.IncidentType, 80), Clean(classify.Note, 500)) is { } refused) return Refused(session, refused);
                await JournalAsync(session.Id, "classified",
                    $"by {by}: {classify.Kind}{(session.Agency is { } a ? $" / {a}" : "")}{(session.IncidentType is { } i ? $" / {i}" : "")}{(session.Note is { } n ? $" / note \"{n}\"" : "")}").ConfigureAwait(false);
                PublishSession(session);
                return null;
            }

            case TextAction.Transfer transfer:
            {
                if (!Options.HasDesk(transfer.Agency))
                {
                    return new ApiError(400, "bad-request", $"agency {Clip(transfer.Agency)} has no text desk (Text:Agencies: {string.Join(", ", Options.Agencies.Keys.Where(Options.HasDesk))})");
                }

                if (session.HandOver(request.Position, transfer.Agency, time.GetUtcNow()) is { } refused) return Refused(session, refused);
                await JournalAsync(session.Id, "text.transferred", $"to {transfer.Agency} by {by}").ConfigureAwait(false);
                queue.CallTakerLeft(session.Id, request.Position);
                await HandToAgencyAsync(session, transfer.Agency).ConfigureAwait(false);
                PublishSession(session);
                return null;
            }

            case TextAction.Close close:
                return await CloseAsync(session, request.Position, close.Reason).ConfigureAwait(false) is { } refusal ? Refused(session, refusal) : null;
            default:
                return new ApiError(400, "bad-request", "unknown text action");
        }
    }

    private static ApiError Refused(TextSession session, string why) =>
        why.Contains(" is with ", StringComparison.Ordinal) ? new ApiError(403, "forbidden", why) : new ApiError(409, "state", why);

    private static string? Clean(string? text, int max) => string.IsNullOrWhiteSpace(text) ? null : TextBody.Clean(text, max).Text;

    /// <summary>The agency's text desk gets what it needs to act without calling back: who wrote, from where, what
    /// the call-taker decided, the whole conversation so far, and how to answer (the session header); every later
    /// message from the caller follows as it arrives. A leg on record names the agency and its desk, like a voice
    /// transfer's leg.</summary>
    private async Task HandToAgencyAsync(TextSession session, string agency)
    {
        var to = Options.Agencies[agency].To;
        await journal.LegPlannedAsync(new LegRecord($"{session.Id}-{agency}", session.Id, $"text:{session.Id}:{agency}", agency, session.Region,
            "text", to, 1, time.GetUtcNow()), CancellationToken.None).ConfigureAwait(false);
        var lines = new List<string>
        {
            $"112 text session {session.Id} from {(session.Number.Length > 0 ? session.Number : session.Endpoint)}{(session.Name.Length > 0 ? $" ({session.Name})" : "")}, gateway {session.Gateway}, region {session.Region}, language {session.Language ?? "unknown"}",
            $"Classified: {session.Kind}{(session.IncidentType is { } i ? $" / {i}" : "")}{(session.Note is { } n ? $" / note: {n}" : "")}; call-taker {session.CallTaker ?? "none (no call-taker was free)"}",
            $"Reply with SIP header {SessionHeader}: {session.Id} to write to the caller. Transcript:",
        };
        lines.AddRange(session.Messages.Where(m => m.Direction != TextDirection.ToAgency)
            .Select(m => $"{Stamp(m.At)} {(m.Direction == TextDirection.In ? "caller" : m.Author.StartsWith("agency:", StringComparison.Ordinal) ? m.Author : "112")}: {m.Text}"));
        await CopyToAgencyAsync(session, lines).ConfigureAwait(false);
        var notice = TextNotices.HandedOver(session.Language, agency);
        var sent = session.Sent(notice, time.GetUtcNow(), "engine");
        await JournalAsync(session.Id, "text.out", $"#{sent.Seq} by engine: {sent.Text}").ConfigureAwait(false);
        SendToCaller(session, notice);
        PublishMessage(session, sent);
    }

    /// <summary>Copies lines to the session's agency in MESSAGE-sized parts, each on record before it is sent.</summary>
    private async Task CopyToAgencyAsync(TextSession session, IReadOnlyList<string> lines)
    {
        var to = Options.Agencies[session.Agency!].To;
        var parts = TextBody.Split(string.Join('\n', lines), MaxMessageBytes);
        for (var i = 0; i < parts.Count; i++)
        {
            var copy = session.CopiedToAgency(parts[i], time.GetUtcNow());
            await JournalAsync(session.Id, "text.agency", $"#{copy.Seq} to {session.Agency} ({i + 1}/{parts.Count}): {copy.Text}").ConfigureAwait(false);
            TextMetrics.Messages.WithLabels("agency").Inc();
            var headers = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [SessionHeader] = session.Id,
                ["X-Text-Part"] = $"{i + 1}/{parts.Count}",
            };
            if (session.Number.Length > 0) headers["X-Caller-Number"] = session.Number;
            Send(session.Id, to, copy.Text, headers);
            PublishMessage(session, copy); // the call-taker sees what the agency was given
        }
    }
}
