using Routing.Asterisk.Ari;
using Routing.Calls.Text;

namespace Routing.Engine.Text;

internal sealed partial class TextService
{
    /// <summary>Largest MESSAGE body sent, in UTF-8 bytes. RFC 3428 §10 keeps MESSAGE under 1300 bytes on UDP, and
    /// ARI takes the body in the request line, which Asterisk reads into 4096 bytes (main/http.c
    /// MAX_HTTP_LINE_LENGTH): 900 bytes percent-encode to at most 2700. Longer texts go as several parts.</summary>
    public const int MaxMessageBytes = 900;

    /// <summary>The caller's destination through its gateway: <c>pjsip:PJSIP/{number}@{endpoint}</c>
    /// (res_pjsip_messaging: the endpoint's contact, with the number as user) or the gateway's own template; a
    /// sender with no number is the endpoint itself (<c>pjsip:texter</c>, as recorded).</summary>
    private string ReplyTarget(TextSession session)
    {
        var endpoint = session.Endpoint["PJSIP/".Length..];
        if (session.Number.Length == 0) return $"pjsip:{endpoint}";
        var template = Options.Gateways[session.Gateway].ReplyTo ?? $"pjsip:PJSIP/{{number}}@{endpoint}";
        return template.Replace("{number}", session.Number, StringComparison.Ordinal);
    }

    private void SendToCaller(TextSession session, string text)
    {
        foreach (var part in TextBody.Split(text, MaxMessageBytes)) Send(session.Id, ReplyTarget(session), part, new Dictionary<string, string>(StringComparer.Ordinal) { [SessionHeader] = session.Id });
    }

    /// <summary>Queues one MESSAGE behind the session's earlier ones. Asterisk answers 202 and delivers on its own
    /// (turn2/ari-sip-message), so only a refusal of the request itself comes back, as an input.</summary>
    private void Send(string sessionId, string to, string body, IReadOnlyDictionary<string, string> headers)
    {
        var previous = sends.GetValueOrDefault(sessionId) ?? Task.CompletedTask;
        sends[sessionId] = SendAfterAsync(previous, sessionId, to, body, headers);
    }

    private async Task SendAfterAsync(Task previous, string sessionId, string to, string body, IReadOnlyDictionary<string, string> headers)
    {
        await previous.ConfigureAwait(false);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10), time);
            await ari.SendMessageAsync(to, Options.From, body, headers, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AriException or AriTimeoutException or AriUnavailableException or OperationCanceledException)
        {
            TextMetrics.SendFailures.Inc();
            LogMessages.TextSendFailed(logger, sessionId, to, ex.Message);
            Post(new TextInput.SendFailed(sessionId, to, ex.Message));
        }
    }

    private async Task OnSendFailedAsync(TextInput.SendFailed failed)
    {
        await JournalAsync(failed.SessionId, "text.send.failed", $"to {failed.To}: {failed.Error}").ConfigureAwait(false);
        if (desk.Find(failed.SessionId) is { } session)
        {
            hub.Publish(new Operators.CentreEvent("text.send.failed", new { sessionId = session.Id, to = failed.To, error = failed.Error }, Audience(session)));
        }
    }
}
