using Routing.Calls.Routing;
using Routing.Calls.Text;
using Routing.Checks.Asterisk;
using Routing.Checks.Settings;

namespace Routing.Checks.Checks;

/// <summary>
/// Text callers (<c>Text</c> in appsettings.json): the section's own rules (<see cref="TextOptionsValidator"/>, as the
/// engine applies at start), and each gateway and agency text desk against pjsip.conf and the dialplan. A gateway needs a
/// PJSIP endpoint with a <c>message_context</c> whose context exists and takes the dialled number: Asterisk runs that
/// dialplan for every MESSAGE, and raises TextMessageReceived to the engine beside it (turn2/ari-sip-message). An endpoint
/// that also places calls into Stasis would have every channel event twice once the engine subscribes it (T2b).
/// </summary>
internal static class TextCheck
{
    public static void Run(AppSettingsFile settings, TextOptions text, RoutingOptions? routing, bool centre, Findings findings)
    {
        foreach (var error in TextOptionsValidator.Validate(text, routing))
        {
            var space = error.IndexOf(' ');
            findings.Error(settings.Path, settings.LineOf(space > 0 ? error[..space] : TextOptions.Section), error);
        }

        if (text.Enabled && !centre)
            findings.Error(settings.Path, settings.LineOf(TextOptions.Section), "Text:Gateways needs the call-taker centre (a Centre section): text sessions queue for a call-taker");
    }

    public static void CheckEndpoints(AppSettingsFile settings, TextOptions text, PjsipCheck pjsip, Dialplan? dialplan, Findings findings)
    {
        foreach (var (key, gateway) in text.Gateways)
        {
            var name = RoutingTrunks.PjsipEndpoint(gateway?.Endpoint);
            if (name is null) continue; // the validator said so
            var setting = $"{TextOptions.Section}:Gateways:{key}:Endpoint";
            if (!pjsip.Endpoints.TryGetValue(name, out var endpoint))
            {
                findings.Error(settings.Path, settings.LineOf(setting), $"{setting} '{gateway!.Endpoint}': no endpoint [{name}] (type = endpoint) in {pjsip.File.Path}; its MESSAGEs would be refused");
                continue;
            }

            if (endpoint.Value("message_context") is not { Length: > 0 } context)
            {
                findings.Error(endpoint.File, endpoint.Line,
                    $"endpoint [{name}] (text gateway {key}) has no message_context: Asterisk would run its call context for MESSAGE; set message_context = messages");
            }
            else if (dialplan is not null && !dialplan.Contexts.ContainsKey(context))
            {
                findings.Error(endpoint.File, endpoint.Line, $"endpoint [{name}] has message_context = {context}, which extensions.conf does not define: MESSAGEs would find no dialplan");
            }

            if (endpoint.Value("context") is { } callContext && dialplan is not null && dialplan.Steps.Any(st => string.Equals(st.Context, callContext, StringComparison.OrdinalIgnoreCase) && st.Is("Stasis")))
            {
                findings.Warning(endpoint.File, endpoint.Line,
                    $"endpoint [{name}] is a text gateway and its calls also enter Stasis ({callContext}): once subscribed for MESSAGE, every event of its calls reaches the engine twice (turn2 T2b); give MESSAGE its own endpoint");
            }
        }

        foreach (var (agency, desk) in text.Agencies)
        {
            var name = RoutingTrunks.PjsipEndpoint(DeskEndpoint(desk?.To));
            if (name is not null && !pjsip.Endpoints.ContainsKey(name))
            {
                var setting = $"{TextOptions.Section}:Agencies:{agency}:To";
                findings.Error(settings.Path, settings.LineOf(setting), $"{setting} '{desk!.To}': no endpoint [{name}] in {pjsip.File.Path}; the agency would never get the transcript");
            }
        }
    }

    /// <summary><c>pjsip:x</c>, <c>pjsip:x/sip:…</c>, <c>pjsip:PJSIP/user@x</c> → <c>PJSIP/x</c> (as the engine reads it).</summary>
    private static string? DeskEndpoint(string? to)
    {
        if (to is null || !to.StartsWith("pjsip:", StringComparison.Ordinal)) return null;
        var rest = to["pjsip:".Length..];
        if (rest.StartsWith("PJSIP/", StringComparison.Ordinal))
        {
            var at = rest.IndexOf('@', StringComparison.Ordinal);
            return at > 0 ? "PJSIP/" + rest[(at + 1)..] : null;
        }

        if (rest.StartsWith("sip:", StringComparison.Ordinal) || rest.StartsWith('<') || rest.StartsWith('"')) return null;
        var end = rest.IndexOfAny(['/', '@']);
        return "PJSIP/" + (end < 0 ? rest : rest[..end]);
    }
}
