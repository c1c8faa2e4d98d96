using Routing.Asterisk.Ari;
using Routing.Calls.Centre;
using Routing.Calls.Ports;
using Routing.Calls.Text;
using Routing.Engine.Operators;

namespace Routing.Engine.Text;

internal sealed partial class TextService
{
    /// <summary>Header an agency's text desk sets on its MESSAGEs back (and that the engine sets on every copy it
    /// sends the agency), naming the session.</summary>
    public const string SessionHeader = "X-Text-Session";

    private async Task OnReceivedAsync(TextMessageReceived received)
    {
        var endpoint = received.Endpoint?.Id ?? "";
        if (gatewayOf.TryGetValue(endpoint, out var gateway))
        {
            await OnCallerMessageAsync(gateway, Options.Gateways[gateway], received.Message).ConfigureAwait(false);
            return;
        }

        if (agencyOf.TryGetValue(endpoint, out var agency))
        {
            await OnAgencyMessageAsync(agency, received.Message).ConfigureAwait(false);
            return;
        }

        // Another app subscribed us, or Asterisk's configuration changed under us: nobody here may answer it.
        TextMetrics.Dropped.WithLabels("unknown-endpoint").Inc();
        LogMessages.TextFromUnknownEndpoint(logger, Clip(endpoint.Length == 0 ? "(no endpoint)" : endpoint));
    }

    private async Task OnCallerMessageAsync(string gateway, TextGatewayOptions options, AriTextMessage message)
    {
        var now = time.GetUtcNow();
        var sender = TextSender.Parse(message.From);
        var hint = message.Variables?.GetValueOrDefault("X-Language");
        var arrival = desk.Receive(gateway, options, sender, message.Body, hint, planner.RegionFor(sender.Number), now, NewSessionId);
        switch (arrival)
        {
            case TextArrival.Flooded flood:
                TextMetrics.Dropped.WithLabels("flood").Inc();
                if (flood.FirstInWindow)
                {
                    // One note per window, on the caller's session when there is one: the flood itself is not recorded
                    // message by message, or it would flood the ledger as well.
                    await JournalAsync(flood.SessionId ?? $"text:{flood.Key}", "text.flood",
                        $"more than {Options.FloodLimit} messages within {Options.FloodWindow} from {(sender.Number.Length > 0 ? sender.Number : options.Endpoint)}: the rest of this window is dropped unread").ConfigureAwait(false);
                }

                return;
            case TextArrival.Empty empty:
                TextMetrics.Dropped.WithLabels("empty").Inc();
                if (empty.SessionId is { } sid) await JournalAsync(sid, "text.dropped", string.Join("; ", empty.Notes)).ConfigureAwait(false);
                return;
            case TextArrival.Full:
                TextMetrics.Dropped.WithLabels("full").Inc();
                LogMessages.TextSessionsFull(logger, gateway, desk.OpenCount);
                return;
            case TextArrival.Accepted accepted:
                await OnAcceptedAsync(accepted, message).ConfigureAwait(false);
                return;
        }
    }

    private async Task OnAcceptedAsync(TextArrival.Accepted accepted, AriTextMessage message)
    {
        var session = accepted.Session;
        if (accepted.Opened)
        {
            await journal.CallArrivedAsync(new CallRecord(session.Id, $"text:{session.Endpoint}", session.Number, DialedOf(message.To),
                $"text:{session.Gateway}", session.OpenedAt), CancellationToken.None).ConfigureAwait(false);
            if (session.PreviousId is { } previous)
            {
                await JournalAsync(session.Id, "text.linked", $"follows closed session {previous}").ConfigureAwait(false);
                await JournalAsync(previous, "text.followed", $"the caller wrote again: session {session.Id}").ConfigureAwait(false);
            }

            await JournalAsync(session.Id, "text.opened",
                $"from {(session.Number.Length > 0 ? session.Number : session.Endpoint)}{(session.Name.Length > 0 ? $" ({session.Name})" : "")} at {session.Endpoint}, region {session.Region}, language {session.Language ?? "unknown"}").ConfigureAwait(false);
        }

        if (accepted.Notes.Count > 0) await JournalAsync(session.Id, "text.cleaned", string.Join("; ", accepted.Notes)).ConfigureAwait(false);
        await JournalAsync(session.Id, "text.in", $"#{accepted.Message.Seq}: {accepted.Message.Text}").ConfigureAwait(false);
        TextMetrics.Messages.WithLabels("in").Inc();

        if (accepted.Opened)
        {
            queue.Enqueue(new CentreCall(new QueueRequest(session.Id, session.Entry, session.Region, session.Language), session.Number, $"text:{session.Id}", CentreMedium.Text));
        }
        else if (session.State == TextSessionState.WithAgency)
        {
            await CopyToAgencyAsync(session, [$"{Stamp(accepted.Message.At)} caller: {accepted.Message.Text}"]).ConfigureAwait(false);
        }

        PublishMessage(session, accepted.Message);
        PublishSession(session);
    }

    private async Task OnAgencyMessageAsync(string agency, AriTextMessage message)
    {
        var id = message.Variables?.GetValueOrDefault(SessionHeader) ?? "";
        var session = desk.Find(id);
        if (session is null || session.State != TextSessionState.WithAgency || !string.Equals(session.Agency, agency, StringComparison.OrdinalIgnoreCase))
        {
            TextMetrics.Dropped.WithLabels("agency-unmatched").Inc();
            LogMessages.TextFromUnknownEndpoint(logger, $"agency {agency} about session '{Clip(id)}' (not open with that agency)");
            return;
        }

        var body = TextBody.Clean(message.Body, Options.MaxReplyLength);
        if (body.Text.Length == 0) return;
        var sent = session.Sent(body.Text, time.GetUtcNow(), $"agency:{agency}");
        await JournalAsync(session.Id, "text.out", $"#{sent.Seq} by agency {agency}: {sent.Text}").ConfigureAwait(false);
        SendToCaller(session, sent.Text);
        PublishMessage(session, sent);
    }

    private async Task OnAssignedAsync(TextInput.Assigned assigned)
    {
        if (desk.Find(assigned.SessionId) is not { } session)
        {
            queue.CallEnded(assigned.SessionId); // closed while the console accepted: free the position
            return;
        }

        if (session.Accept(assigned.Position, assigned.User, time.GetUtcNow()) is { } refused)
        {
            await JournalAsync(session.Id, "text.refused", refused).ConfigureAwait(false);
            return;
        }

        await JournalAsync(session.Id, "text.accepted", $"by {assigned.Position} ({assigned.User}) after {Operators.CentreDtoMapping.Seconds(assigned.Waited)} s").ConfigureAwait(false);
        PublishSession(session);
    }

    /// <summary>Nobody staffed to the end of the overflow chain: the session goes to the fallback agency's text desk,
    /// as an unanswered voice call goes to the dialplan fallback — a text caller is never left unread.</summary>
    private async Task OnGaveUpAsync(TextInput.GaveUp gaveUp)
    {
        if (desk.Find(gaveUp.SessionId) is not { } session) return;
        var agency = Options.FallbackAgency;
        if (session.HandOver(null, agency, time.GetUtcNow()) is { } refused)
        {
            await JournalAsync(session.Id, "text.refused", refused).ConfigureAwait(false);
            return;
        }

        await JournalAsync(session.Id, "text.transferred", $"to {agency} (fallback: {gaveUp.Reason})").ConfigureAwait(false);
        await HandToAgencyAsync(session, agency).ConfigureAwait(false);
        PublishSession(session);
    }

    private async Task CloseIdleAsync()
    {
        foreach (var session in desk.Idle(time.GetUtcNow()))
        {
            await CloseAsync(session, null, $"idle: no message for {Options.IdleTimeout}").ConfigureAwait(false);
        }
    }

    /// <summary>Closes a session (by its call-taker or by the engine): outcome on record, then the centre frees the
    /// position (wrap-up), then the desk forgets it.</summary>
    private async Task<string?> CloseAsync(TextSession session, string? position, string reason, bool inCentre = true)
    {
        var wasInCentre = inCentre && session.State is TextSessionState.Waiting or TextSessionState.WithCallTaker;
        if (session.Close(position, reason, time.GetUtcNow()) is { } refused) return refused;
        await JournalAsync(session.Id, "text.closed", $"{reason}{(position is null ? "" : $" (by {position})")}").ConfigureAwait(false);
        await JournalAsync(session.Id, "outcome", session.Outcome!.Value.ToString()).ConfigureAwait(false);
        TextMetrics.Closed.WithLabels(session.Outcome!.Value.ToString()).Inc();
        if (wasInCentre) queue.CallEnded(session.Id);
        desk.Closed(session);
        PublishSession(session);
        return null;
    }

    private string NewSessionId() => "txt-" + Guid.CreateVersion7(time.GetUtcNow()).ToString("N");

    /// <summary>The number the caller wrote to (user of <c>pjsip:112@host</c>), cleaned; "112" when it has none.</summary>
    private static string DialedOf(string? to)
    {
        var user = to ?? "";
        var colon = user.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0) user = user[(colon + 1)..];
        var at = user.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0) user = user[..at];
        var number = Routing.Calls.Routing.CallerText.NormaliseNumber(user);
        return number.Length > 0 ? number : "112";
    }

    private static string Stamp(DateTimeOffset at) => at.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    private static string Clip(string text) => Routing.Calls.Routing.CallerText.CleanText(text, 60);

    private void PublishSession(TextSession session)
    {
        var dto = TextSessionDto.Of(session);
        views[session.Id] = dto;
        hub.Publish(new CentreEvent("text.session", dto with { Messages = [] }, Audience(session)));
    }

    private void PublishMessage(TextSession session, TextMessage message) =>
        hub.Publish(new CentreEvent("text.message", new { sessionId = session.Id, message = TextMessageDto.Of(message) }, Audience(session)));

    /// <summary>Supervisors see every session; a call-taker the one it holds (offers come from the centre).</summary>
    private static string[] Audience(TextSession session) => session.CallTaker is { } p ? [p] : [];
}
