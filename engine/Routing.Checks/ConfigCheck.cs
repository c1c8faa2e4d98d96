using Routing.Calls.Routing;
using Routing.Checks.Checks;
using Routing.Checks.Settings;

namespace Routing.Checks;

/// <summary>
/// <c>routing check-config</c>: the routing configuration (appsettings.json) against the Asterisk
/// configuration (dialplans/) and the prompts (ivr-prompts/). Every finding names a file and line.
/// Reads files only and never throws on bad input: a broken file is a finding.
/// </summary>
public static class ConfigCheck
{
    /// <summary>Languages checked when the routing configuration cannot be read.</summary>
    private static readonly string[] DefaultLanguages = ["kk", "ru", "en"];

    public static IReadOnlyList<CheckFinding> Run(CheckInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var findings = new Findings();

        var settings = AppSettingsFile.Load(inputs.AppSettingsPath, findings);
        var routing = settings?.Routing;
        var centre = settings?.Centre;
        var asterisk = settings is null ? AsteriskSettings.Defaults : AsteriskSettings.From(settings, findings);
        if (settings is not null && routing is not null) RoutingOptionsCheck.Run(settings, routing, findings);
        if (settings is not null && centre is not null) CentreCheck.Run(settings, centre, routing, findings);
        if (settings?.Text is { } text) TextCheck.Run(settings, text, routing, centre is not null, findings);

        var dialplan = DialplanCheck.Load(inputs.DialplansDir, findings);
        var pjsip = PjsipCheck.Load(inputs.DialplansDir, findings);
        var trunkEndpoints = routing is null
            ? new HashSet<string>(StringComparer.Ordinal)
            : RoutingTrunks.All(routing).Select(t => RoutingTrunks.PjsipEndpoint(t.Trunk.Endpoint)).OfType<string>().ToHashSet(StringComparer.Ordinal);

        var agencySide = pjsip?.AgencySide(dialplan, trunkEndpoints) ?? new HashSet<string>(StringComparer.Ordinal);
        // Call-takers' devices only receive calls from the engine: not callers, whose contexts must route 112.
        var notCallers = new HashSet<string>(agencySide, StringComparer.Ordinal);
        notCallers.UnionWith(CentreCheck.PositionEndpoints(centre));

        if (pjsip is not null)
        {
            if (settings is not null && routing is not null) pjsip.CheckTrunks(settings, routing, findings);
            if (settings is not null && centre is not null) CentreCheck.CheckPositions(settings, centre, pjsip, trunkEndpoints, findings);
            if (settings?.Text is { Enabled: true } textOn)
            {
                TextCheck.CheckEndpoints(settings, textOn, pjsip, dialplan, findings);
                if (dialplan is not null) TextFallbackCheck.Run(settings, textOn, pjsip, dialplan, findings);
            }
            else TextCheck.CheckMessageContexts(pjsip, dialplan, findings, null, settings);
            pjsip.CheckEndpoints(dialplan, trunkEndpoints, findings);
            CallerIdentityCheck.Run(pjsip, dialplan, agencySide, asterisk, inputs.AppSettingsPath, findings);
            if (routing is not null) CallerLanguageCheck.Run(pjsip, notCallers, routing, findings);
            if (settings is not null && routing is not null) VideoCheck.Run(settings, routing, centre, pjsip, dialplan, findings);
        }
        if (dialplan is not null)
        {
            DialplanCheck.CheckFallbackLabels(dialplan, findings);
            DialplanCheck.CheckEvidence(dialplan, findings);
            DialplanCheck.CheckDeadMansSwitch(dialplan, asterisk, inputs.AppSettingsPath, findings);
            DialplanCheck.CheckShedFlag(dialplan, findings);
            if (pjsip is not null)
            {
                DialplanCheck.CheckCallerContexts(dialplan, pjsip.CallerContexts(notCallers), asterisk, routing, inputs.AppSettingsPath, findings);
                DialplanCheck.CheckDialTargets(dialplan, pjsip, routing, findings);
            }
            if (settings is not null && routing is not null) DialplanCheck.CheckRegionMap(dialplan, settings, routing, findings);
        }

        if (settings is not null) CallbackCheck.Run(settings, pjsip, dialplan, findings);

        InterfaceCheck.CheckAri(inputs.DialplansDir, asterisk, inputs.AppSettingsPath, findings);
        InterfaceCheck.CheckManager(inputs.DialplansDir, asterisk, inputs.AppSettingsPath, findings);
        InterfaceCheck.CheckHttp(inputs.DialplansDir, asterisk, inputs.AppSettingsPath, findings);
        RtpCheck.Run(inputs.DialplansDir, findings);
        ModulesCheck.Run(inputs.DialplansDir, findings);
        GeolocationCheck.Run(inputs.DialplansDir, findings);
        MusicOnHoldCheck.Run(inputs.DialplansDir, inputs.PromptsDir, findings);

        PromptCheck.Run(inputs.PromptsDir, Languages(routing), findings);
        return findings.Items;
    }

    private static IReadOnlyCollection<string> Languages(RoutingOptions? routing)
    {
        if (routing is null) return DefaultLanguages;
        var languages = routing.Ivr.LanguageDigits.Values
            .Append(routing.Ivr.DefaultLanguage)
            .Concat(routing.Ivr.EntryLanguages.Values)
            // Only plain language codes become paths (the validator reports the others).
            .Where(l => !string.IsNullOrWhiteSpace(l) && l.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        return languages.Count > 0 ? languages : DefaultLanguages;
    }
}
