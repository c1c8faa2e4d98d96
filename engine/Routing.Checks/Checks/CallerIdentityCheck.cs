using Routing.Checks.Asterisk;

namespace Routing.Checks.Checks;

/// <summary>
/// An agency sees the identity the engine decided ("112 +7727…") for the whole call, never the
/// caller's own name and number, which a hostile caller fills with HTML, bidi overrides or quotes.
/// What Asterisk 23 does (res/res_pjsip_caller_id.c, channels/chan_pjsip.c, main/bridge.c):
/// <list type="bullet">
/// <item>when two channels meet in a bridge, each gets the other's caller id as its connected line
/// (<c>bridge_reconfigured_connected_line_update</c>); chan_pjsip then re-INVITEs or UPDATEs the
/// far end with it in P-Asserted-Identity unless the endpoint has <c>send_connected_line = no</c>
/// (default yes);</item>
/// <item>a caller's mid-call re-INVITE/UPDATE with a new identity becomes a connected-line update
/// passed across the bridge unless the caller's endpoint has <c>trust_connected_line = no</c>
/// (default yes);</item>
/// <item>a dialplan <c>Dial()</c> presents the caller's own caller id as the new channel's
/// connected line (From and PAI of its INVITE) unless <c>f(name &lt;number&gt;)</c> forces one;</item>
/// <item>res_pjsip_caller_id builds the P-Asserted-Identity of every INVITE and UPDATE from the channel's
/// connected line when the endpoint has <c>send_pai = yes</c>; once bridged that is the caller's own id, and a
/// re-INVITE (a video bridge aligning its streams, a session refresh) carried it to the agency. So agencies have
/// <c>send_pai = no</c>, and whoever dials adds the first INVITE's header (PJSIP_HEADER, which
/// res_pjsip_header_funcs sends only before the dialog is confirmed): the engine's originate, and each fallback
/// Dial's pre-dial handler.</item>
/// </list>
/// Each fault is reported once, where it is: on the line with the wrong value, or on the template
/// every such endpoint inherits from when the setting is missing.
/// </summary>
internal static class CallerIdentityCheck
{
    /// <summary>The header variable whoever dials sets on the agency channel (chan_pjsip reads it before the INVITE).</summary>
    public const string HeaderVariable = "PJSIP_HEADER(add,P-Asserted-Identity)";

    /// <summary>[globals] host of that header's URI in the fallback; equal to Asterisk:AssertedIdentityHost.</summary>
    public const string HostGlobal = "ASSERTED_IDENTITY_HOST";

    public static void Run(PjsipCheck pjsip, Dialplan? dialplan, ISet<string> agencySide, AsteriskSettings asterisk, string settingsPath, Findings findings)
    {
        var reported = new HashSet<(string File, int Line, string Key)>();
        foreach (var endpoint in pjsip.Endpoints.Values)
        {
            var agency = agencySide.Contains(endpoint.Name);
            if (agency)
            {
                Require(pjsip.File, endpoint, "send_connected_line", "no", reported, findings,
                    "once the caller is bridged, Asterisk would re-INVITE/UPDATE this agency with the caller's own name and number (P-Asserted-Identity) instead of the identity the engine decided");
                Require(pjsip.File, endpoint, "send_pai", "no", reported, findings,
                    "Asterisk would build the P-Asserted-Identity of every INVITE from the channel's connected line, the caller's own name and number once bridged, and a re-INVITE would show them to the agency (the engine and the fallback add the first INVITE's header themselves)", defaultValue: "no");
            }
            else
            {
                Require(pjsip.File, endpoint, "trust_connected_line", "no", reported, findings,
                    "a caller's re-INVITE/UPDATE could replace its identity mid-call and Asterisk would pass it on to the agency");
                Require(pjsip.File, endpoint, "send_connected_line", "no", reported, findings,
                    "callers would be re-INVITEd with the agency's name and number once bridged");
            }
        }
        if (dialplan is not null)
        {
            CheckDials(dialplan, findings);
            CheckHost(dialplan, asterisk, settingsPath, findings);
        }
    }

    /// <summary>Every fallback Dial() forces the identity the agency sees (<c>f(…)</c>) and ignores
    /// connected-line updates from the dialled side (<c>I</c>).</summary>
    private static void CheckDials(Dialplan dialplan, Findings findings)
    {
        foreach (var dial in dialplan.Steps.Where(s => s.Is("Dial")))
        {
            var args = dial.Args;
            var options = args.Count > 2 ? args[2] : "";
            var (flags, forcedCallerId, preDial) = ParseOptions(options);
            if (string.IsNullOrWhiteSpace(forcedCallerId))
            {
                findings.Error(dial.File, dial.Line,
                    $"[{dial.Context}] Dial() without f(<name> <number>): the agency would be sent the caller's own name and number; force the engine's identity, e.g. f(112 ${{cid}} <${{cid}}>) with cid filtered to 0-9+");
            }
            if (!flags.Contains('I'))
            {
                findings.Error(dial.File, dial.Line,
                    $"[{dial.Context}] Dial() without option I: connected-line updates from the dialled side would be passed to the caller");
            }
            if (!AddsAssertedIdentity(dialplan, preDial))
            {
                findings.Error(dial.File, dial.Line,
                    $"[{dial.Context}] Dial() without a pre-dial handler b(<context>^s^1(...)) that sets {HeaderVariable} on the agency channel: agency endpoints have send_pai = no, so its INVITE would carry no P-Asserted-Identity");
            }
        }
    }

    /// <summary>b(context^exten^priority(args)): the handler context adds the first INVITE's P-Asserted-Identity.</summary>
    private static bool AddsAssertedIdentity(Dialplan dialplan, string? preDial)
    {
        if (string.IsNullOrWhiteSpace(preDial)) return false;
        var handler = preDial.Split('^')[0].Trim();
        return dialplan.Steps.Any(s => string.Equals(s.Context, handler, StringComparison.OrdinalIgnoreCase) && s.Is("Set")
            && s.Data.Replace(" ", "", StringComparison.Ordinal).StartsWith(HeaderVariable + "=", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The fallback's header and the engine's name the same host: an agency that checks the asserted
    /// identity's domain would otherwise trust the engine's calls and not the fallback's, or the reverse.</summary>
    private static void CheckHost(Dialplan dialplan, AsteriskSettings asterisk, string settingsPath, Findings findings)
    {
        var used = dialplan.Steps.FirstOrDefault(s => s.Is("Set") && s.Data.Contains("${" + HostGlobal + "}", StringComparison.Ordinal));
        if (used is null) return;
        var global = dialplan.Globals?.Last(HostGlobal);
        var origin = asterisk.AssertedIdentityHostLine > 0 ? $"{settingsPath}:{asterisk.AssertedIdentityHostLine}" : "the engine's default";
        if (global is null)
        {
            findings.Error(used.File, used.Line, $"[globals] has no {HostGlobal}, which this step uses: the fallback's agencies would be sent a P-Asserted-Identity with no host");
        }
        else if (!string.Equals(global.Value.Trim(), asterisk.AssertedIdentityHost, StringComparison.OrdinalIgnoreCase))
        {
            findings.Error(global.File, global.Line,
                $"{HostGlobal} = {global.Value.Trim()}, but Asterisk:AssertedIdentityHost is '{asterisk.AssertedIdentityHost}' ({origin}): agencies would be presented calls from two different hosts, depending on whether the engine or the fallback dialled");
        }
    }

    /// <summary>Dial options: single letters, some with a parenthesised argument that may itself hold
    /// parentheses, as b(context^exten^priority(args)) does (app_dial.c, ast_app_parse_options).</summary>
    internal static (string Flags, string? ForcedCallerId, string? PreDialCallee) ParseOptions(string options)
    {
        var flags = new System.Text.StringBuilder();
        string? forced = null;
        string? preDial = null;
        for (var i = 0; i < options.Length; i++)
        {
            var letter = options[i];
            string? argument = null;
            if (i + 1 < options.Length && options[i + 1] == '(')
            {
                var close = i + 2;
                for (var depth = 1; close < options.Length; close++)
                {
                    if (options[close] == '(') depth++;
                    else if (options[close] == ')' && --depth == 0) break;
                }
                argument = options[(i + 2)..Math.Min(close, options.Length)];
                i = close;
            }
            flags.Append(letter);
            if (letter == 'f') forced = argument;
            if (letter == 'b') preDial = argument;
        }
        return (flags.ToString(), forced, preDial);
    }

    private static void Require(ConfFile file, ConfSection endpoint, string key, string wanted, HashSet<(string, int, string)> reported, Findings findings, string why,
        string defaultValue = "yes")
    {
        var entry = endpoint.Last(key);
        if (entry is not null && string.Equals(entry.Value.Trim(), wanted, StringComparison.OrdinalIgnoreCase)) return;
        if (entry is null && string.Equals(defaultValue, wanted, StringComparison.OrdinalIgnoreCase)) return;
        var (at, line) = entry is not null
            ? (entry.File, entry.Line)
            : Origin(file, endpoint);
        if (!reported.Add((at, line, key))) return;
        var found = entry is null ? $"{key} is not set (Asterisk's default is {defaultValue})" : $"{key} = {entry.Value}";
        var whose = entry is null && endpoint.Templates.Count > 0
            ? $"template [{endpoint.Templates[0]}] (used by endpoint [{endpoint.Name}]…)"
            : $"endpoint [{endpoint.Name}]";
        findings.Error(at, line, $"{whose}: {found}: {why}; set {key} = {wanted}");
    }

    /// <summary>Where a missing setting belongs: the endpoint's first template when it has one
    /// (all its siblings inherit the same gap), else the endpoint's own header.</summary>
    private static (string File, int Line) Origin(ConfFile file, ConfSection endpoint)
    {
        if (endpoint.Templates.Count > 0)
        {
            var template = file.Sections.LastOrDefault(s => s.IsTemplate && string.Equals(s.Name, endpoint.Templates[0], StringComparison.OrdinalIgnoreCase));
            if (template is not null) return (template.File, template.Line);
        }
        return (endpoint.File, endpoint.Line);
    }
}
