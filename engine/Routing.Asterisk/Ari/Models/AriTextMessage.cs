namespace Routing.Asterisk.Ari;

/// <summary>ARI TextMessage: <c>from</c> and <c>to</c> as Asterisk wrote them (<c>"Name" &lt;sip:user@host&gt;</c>,
/// <c>pjsip:112@host</c>), the body as sent (UTF-8), and the SIP headers as variables.</summary>
public sealed record AriTextMessage(string From, string To, string? Body = null, IReadOnlyDictionary<string, string>? Variables = null);
