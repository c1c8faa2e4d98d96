using System.Text.RegularExpressions;

namespace Routing.Engine.Calls;

/// <summary>
/// The P-Asserted-Identity of every call the engine originates to a SIP endpoint: the caller id the engine
/// decided (<c>Routing:AgencyCallerId</c> for agencies and call-takers, the call-back caller id for call-backs),
/// sent once, in the first INVITE, as a <c>PJSIP_HEADER(add,…)</c> channel variable.
/// Agency endpoints have <c>send_pai = no</c> (dialplans/pjsip.conf.in): Asterisk would otherwise build the
/// header of every INVITE from the channel's connected line, which a two-party bridge sets to the caller's own
/// name and number (main/bridge.c), and a re-INVITE of the dialog (a video bridge aligning its streams, a
/// session refresh) showed the agency the caller's raw identity (load-tests/asterisk video-blind-identity).
/// res_pjsip_header_funcs adds the header to requests sent before the dialog is confirmed only, so no
/// re-INVITE carries anything but the dialog's original From.
/// </summary>
internal static partial class AssertedIdentity
{
    /// <summary>The channel variable chan_pjsip reads from the outbound channel before sending its INVITE.</summary>
    public const string HeaderVariable = "PJSIP_HEADER(add,P-Asserted-Identity)";

    /// <summary>RFC 3323 §4.1.1.3: the URI of an identity that is not to be known.</summary>
    public const string AnonymousUri = "sip:anonymous@anonymous.invalid";

    /// <summary>Returns <paramref name="variables"/> with the header added for a dial to
    /// <paramref name="endpoint"/>, or unchanged when the endpoint is not PJSIP or the caller id carries no
    /// number a SIP URI can hold (then no P-Asserted-Identity is sent at all, never a made-up one).</summary>
    public static IReadOnlyDictionary<string, string>? AddTo(IReadOnlyDictionary<string, string>? variables, string endpoint, string? callerId, string host)
    {
        if (!endpoint.StartsWith("PJSIP/", StringComparison.OrdinalIgnoreCase)) return variables;
        if (Format(callerId, host) is not { } header) return variables;
        var with = variables is null
            ? new Dictionary<string, string>(1, StringComparer.Ordinal)
            : new Dictionary<string, string>(variables, StringComparer.Ordinal);
        with[HeaderVariable] = header;
        return with;
    }

    /// <summary><c>"name" &lt;number&gt;</c> (or a bare number) as <c>"name" &lt;sip:number@host&gt;</c>; null when
    /// the number is neither digits (an optional leading +) nor <c>anonymous</c>.</summary>
    public static string? Format(string? callerId, string host)
    {
        if (string.IsNullOrWhiteSpace(callerId) || callerId.Any(char.IsControl)) return null;
        var open = callerId.LastIndexOf('<');
        var close = open < 0 ? -1 : callerId.IndexOf('>', open);
        if (open >= 0 && close < 0) return null;
        var number = (open < 0 ? callerId : callerId[(open + 1)..close]).Trim();
        var name = open < 0 ? "" : callerId[..open].Trim();
        if (name.Length > 0 && !QuotedName().IsMatch(name)) name = "\"" + name.Replace("\\", "", StringComparison.Ordinal).Replace("\"", "", StringComparison.Ordinal) + "\"";
        string uri;
        if (string.Equals(number, "anonymous", StringComparison.OrdinalIgnoreCase)) uri = AnonymousUri;
        else if (Number().IsMatch(number)) uri = $"sip:{number}@{host}";
        else return null;
        return name.Length > 0 ? $"{name} <{uri}>" : $"<{uri}>";
    }

    /// <summary>A host Asterisk can put after the @ of a SIP URI: a name, an IPv4 address or a bracketed IPv6 one.</summary>
    public static bool IsValidHost(string? host) => host is { Length: > 0 and <= 253 } && Host().IsMatch(host);

    [GeneratedRegex(@"^\+?[0-9]{1,32}$")]
    private static partial Regex Number();

    [GeneratedRegex("^\"[^\"\\\\]*\"$")]
    private static partial Regex QuotedName();

    [GeneratedRegex(@"^([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$|^\[[0-9A-Fa-f:.]+\]$")]
    private static partial Regex Host();
}
