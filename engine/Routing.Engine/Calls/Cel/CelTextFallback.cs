using Routing.Calls;
using Routing.Calls.Ports;
using Routing.Calls.Routing;
using Routing.Calls.Text;

namespace Routing.Engine.Calls.Cel;

/// <summary>
/// A text the dialplan's <c>[messages-app]</c> handled on its own (the engine was away: heartbeat stale), told by the
/// one CEL user event it raises after its sends: <c>CELGenUserEvent(routing112-text-fallback,number=… desk=…
/// deskstatus=… replystatus=… callid=… body=…)</c>, callid and body URI-encoded. It runs on Asterisk's
/// <c>Message/ast_msg_queue</c> channel, which main/message.c keeps and reuses for every MESSAGE, so the row stands on
/// its own: it never waits for its channel's end. Recorded as a text call of its own (entry <see cref="Entry"/>), with
/// who wrote, to which desk, when and what, and an id made from the MESSAGE's Call-ID, so a second import writes nothing.
/// </summary>
internal sealed record CelTextFallback(CallRecord Call, IReadOnlyList<CallEventRecord> Events)
{
    public const string Marker = "routing112-text-fallback";

    public const string Entry = "text-fallback-cel";

    /// <summary>What a text call keeps of a body (<see cref="TextOptions.MaxBodyLength"/>'s default).</summary>
    private static readonly int MaxBodyLength = new TextOptions().MaxBodyLength;

    public static bool IsMarker(CelRow row) =>
        (row.EventType == "USER_DEFINED" || string.Equals(row.EventType, Marker, StringComparison.OrdinalIgnoreCase))
        && string.Equals(row.UserDefinedType, Marker, StringComparison.OrdinalIgnoreCase);

    /// <summary>The record of one marker row; null (with why) when it names no sender.</summary>
    public static CelTextFallback? From(CelRow row, out string? error)
    {
        var fields = Fields(CelFallbackStory.ExtraOf(row.EventExtra));
        var number = CallerText.NormaliseNumber(fields.GetValueOrDefault("number"));
        if (number.Length == 0)
        {
            error = "routing112-text-fallback event without a sender number";
            return null;
        }

        var callIdRaw = Decode(fields.GetValueOrDefault("callid") ?? "");
        // Without a Call-ID (an older dialplan) the event itself is the key: the same row gives the same id.
        var key = callIdRaw.Length > 0 ? "callid:" + callIdRaw : $"row:{row.UniqueId}:{row.EventTime:O}:{number}:{fields.GetValueOrDefault("body")}";
        var callId = CelFallbackStory.StableId("text", key);
        var desk = CallerText.CleanText(fields.GetValueOrDefault("desk") ?? "", 64);
        var deskStatus = CallerText.CleanText(fields.GetValueOrDefault("deskstatus") ?? "", 32);
        var replyStatus = CallerText.CleanText(fields.GetValueOrDefault("replystatus") ?? "", 32);
        var encoded = fields.GetValueOrDefault("body") ?? "";
        var body = TextBody.Clean(Decode(encoded), MaxBodyLength);
        var at = row.EventTime;

        var call = new CallRecord(callId, "text-fallback:" + callId, number, "112", Entry, at);
        var events = new List<CallEventRecord>
        {
            new(callId, null, at, "text.in", $"#1: {body.Text}"),
        };
        if (body.Notes.Count > 0) events.Add(new(callId, null, at, "text.cleaned", string.Join("; ", body.Notes)));
        // Asterisk writes a function's result into a 4 KB buffer (pbx.c VAR_BUF_SIZE): a long body may arrive cut.
        if (encoded.Length >= 4000) events.Add(new(callId, null, at, "text.cut", "the body may have been cut by Asterisk (URI-encoded into its 4 KB variable buffer); the desk got it whole"));
        var delivered = string.Equals(deskStatus, "SUCCESS", StringComparison.Ordinal);
        events.Add(new(callId, null, at, "text.fallback",
            $"forwarded by the dialplan without the engine to {(desk.Length > 0 ? desk : "the fallback desk")} ({(deskStatus.Length > 0 ? deskStatus : "status unknown")}); the sender was told to call 112 ({(replyStatus.Length > 0 ? replyStatus : "status unknown")}); recorded from Asterisk's CEL, Call-ID {CallerText.CleanText(callIdRaw, 80)}"));
        if (!delivered)
        {
            events.Add(new(callId, null, at, "callback.required", $"{number} wrote while the engine was away and the desk did not take it ({(deskStatus.Length > 0 ? deskStatus : "no status")})"));
        }

        events.Add(new(callId, null, at, "outcome", delivered ? nameof(CallOutcome.FailedOver) : nameof(CallOutcome.LostDuringOutage)));
        error = null;
        return new CelTextFallback(call, events);
    }

    /// <summary>URI-decoded (func_uri's ast_uri_encode of the UTF-8 bytes). Asterisk's buffer may cut the end: half an
    /// escape, or the first bytes of a character, are dropped; any other broken byte becomes U+FFFD.</summary>
    internal static string Decode(string encoded)
    {
        var bytes = new List<byte>(encoded.Length);
        for (var i = 0; i < encoded.Length; i++)
        {
            var c = encoded[i];
            if (c == '%')
            {
                if (i + 2 >= encoded.Length) break; // an escape cut in half at the end
                if (byte.TryParse(encoded.AsSpan(i + 1, 2), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var b))
                {
                    bytes.Add(b);
                    i += 2;
                    continue;
                }
            }

            bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(c.ToString()));
        }

        // A character whose first bytes are there and the rest cut off.
        var lead = bytes.Count - 1;
        while (lead >= 0 && lead > bytes.Count - 4 && (bytes[lead] & 0xC0) == 0x80) lead--;
        if (lead >= 0 && bytes[lead] >= 0xC0)
        {
            var need = bytes[lead] >= 0xF0 ? 4 : bytes[lead] >= 0xE0 ? 3 : 2;
            if (bytes.Count - lead < need) bytes.RemoveRange(lead, bytes.Count - lead);
        }

        return System.Text.Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static Dictionary<string, string> Fields(string extra) =>
        extra.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .GroupBy(p => p[0].Trim().ToLowerInvariant())
            .ToDictionary(g => g.Key, g => g.First()[1], StringComparer.Ordinal);
}
