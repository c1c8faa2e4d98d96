using Routing.Checks.Asterisk;
using Routing.Checks.Settings;

namespace Routing.Checks.Checks;

/// <summary>
/// <c>Callbacks:DialString</c> (how a lost caller is dialled back) against the Asterisk configuration: a
/// <c>PJSIP/{number}@endpoint</c> needs that endpoint in pjsip.conf, a <c>Local/{number}@context</c> that context
/// in extensions.conf. Anything else is a warning to check by hand. Absent, the engine's default applies and is checked.
/// </summary>
internal static class CallbackCheck
{
    public const string Key = "Callbacks:DialString";
    public const string Default = "PJSIP/{number}@pstn-callback";

    public static void Run(AppSettingsFile settings, PjsipCheck? pjsip, Dialplan? dialplan, Findings findings)
    {
        var dial = settings.GetString(Key) ?? Default;
        var line = settings.LineOf(Key);
        var slash = dial.IndexOf('/', StringComparison.Ordinal);
        var at = dial.LastIndexOf('@');
        if (slash <= 0 || !dial.Contains("{number}", StringComparison.Ordinal))
        {
            findings.Error(settings.Path, line, $"{Key} '{dial}' must be one Asterisk dial string with {{number}}, e.g. {Default}");
            return;
        }

        var tech = dial[..slash];
        var target = at > slash ? dial[(at + 1)..] : null;
        if (tech.Equals("PJSIP", StringComparison.OrdinalIgnoreCase) && pjsip is not null)
        {
            if (target is null)
            {
                findings.Error(settings.Path, line, $"{Key} '{dial}' names no endpoint: write PJSIP/{{number}}@<endpoint>, the outbound route to the carrier");
            }
            else if (!pjsip.Endpoints.ContainsKey(target))
            {
                findings.Error(settings.Path, line, $"{Key} '{dial}': no endpoint [{target}] (type = endpoint) in {pjsip.File.Path}; no lost caller could ever be called back");
            }
        }
        else if (tech.Equals("Local", StringComparison.OrdinalIgnoreCase) && dialplan is not null)
        {
            if (target is null || !dialplan.Contexts.ContainsKey(target))
            {
                findings.Error(settings.Path, line, $"{Key} '{dial}': no context [{target}] in {dialplan.File.Path}; no lost caller could ever be called back");
            }
        }
        else if (pjsip is not null && dialplan is not null)
        {
            findings.Warning(settings.Path, line, $"{Key} '{dial}' is neither PJSIP/ nor Local/; check it by hand");
        }
    }
}
