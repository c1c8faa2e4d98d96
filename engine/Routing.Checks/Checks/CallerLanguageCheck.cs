using Routing.Calls.Routing;

namespace Routing.Checks.Checks;

/// <summary>
/// The language of every caller-side endpoint (pjsip.conf <c>language=</c>) is set on purpose and is
/// one we have prompts for. Without it a real Asterisk gives the caller's channel <c>en</c>, which the
/// engine would take for a choice when <c>Routing:Ivr:TrustChannelLanguage</c> is on.
/// </summary>
internal static class CallerLanguageCheck
{
    public static void Run(PjsipCheck pjsip, ISet<string> agencySide, RoutingOptions routing, Findings findings)
    {
        var languages = routing.Ivr.LanguageDigits.Values.ToList();
        foreach (var (_, endpoint) in pjsip.CallerContexts(agencySide))
        {
            var entry = endpoint.Last("language");
            if (entry is null)
            {
                findings.Error(endpoint.File, endpoint.Line,
                    $"caller endpoint [{endpoint.Name}] has no language=: Asterisk gives its callers' channels 'en' by accident; set language = {routing.Ivr.DefaultLanguage} (Routing:Ivr:DefaultLanguage) or another language with prompts");
                continue;
            }
            if (!languages.Contains(entry.Value, StringComparer.OrdinalIgnoreCase))
            {
                findings.Error(entry.File, entry.Line,
                    $"caller endpoint [{endpoint.Name}]: language = {entry.Value} has no prompts (Routing:Ivr:LanguageDigits offers {string.Join(", ", languages)})");
            }
        }
    }
}
