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

        CheckMessageContexts(pjsip, dialplan, findings, text, settings);
        CheckIdentifyClashes(text, pjsip, findings);
    }

    /// <summary>
    /// pjsip.conf's half: every endpoint with a <c>message_context</c> must be one the engine subscribes to (a gateway or an
    /// agency desk of <c>Text</c>). Asterisk answers 202 to a MESSAGE as soon as the dialplan takes it (res_pjsip_messaging
    /// <c>ast_msg_has_destination</c>), and only a subscribed endpoint's MESSAGE reaches the engine: any other would be
    /// accepted and read by no one. Also the message context itself: a Message channel cannot enter Stasis().
    /// </summary>
    public static void CheckMessageContexts(PjsipCheck pjsip, Dialplan? dialplan, Findings findings, TextOptions? text = null, AppSettingsFile? settings = null)
    {
        var watched = Watched(text);
        foreach (var endpoint in pjsip.Endpoints.Values)
        {
            if (endpoint.Last("message_context") is not { Value.Length: > 0 } entry) continue;
            if (!watched.Contains(endpoint.Name))
            {
                var where = settings is null ? "Text:Gateways" : $"Text:Gateways of {settings.Path}";
                findings.Error(entry.File, entry.Line,
                    $"endpoint [{endpoint.Name}] takes MESSAGE (message_context = {entry.Value}) but is no text gateway or agency desk in {where}: the engine never subscribes to it, so Asterisk would accept its texts (202) and no one would read them");
            }
            if (dialplan?.InContext(entry.Value).FirstOrDefault(st => st.Is("Stasis")) is { } stasis)
            {
                findings.Error(stasis.File, stasis.Line,
                    $"[{entry.Value}] is the message_context of endpoint [{endpoint.Name}] and runs Stasis(): a MESSAGE runs on the channel Message/ast_msg_queue, which cannot enter Stasis; the engine gets texts from its endpoint subscription (TextMessageReceived)");
            }
        }
    }

    /// <summary>
    /// A text endpoint identified by the same address as another endpoint: Asterisk (res_pjsip_endpoint_identifier_ip)
    /// gives the MESSAGE to one of them, and a MESSAGE that lands on the calls endpoint runs its call context and never
    /// reaches the engine.
    /// </summary>
    private static void CheckIdentifyClashes(TextOptions text, PjsipCheck pjsip, Findings findings)
    {
        var identifies = PjsipCheck.OfType(pjsip.File, "identify")
            .Select(s => (Section: s, Endpoint: s.Value("endpoint"), Match: s.Last("match")))
            .Where(i => i.Endpoint is not null && i.Match is not null)
            .ToList();
        foreach (var name in Watched(text))
        {
            foreach (var mine in identifies.Where(i => string.Equals(i.Endpoint, name, StringComparison.Ordinal)))
            {
                var addresses = Addresses(mine.Match!.Value);
                var other = identifies.FirstOrDefault(i => !string.Equals(i.Endpoint, name, StringComparison.Ordinal) && Addresses(i.Match!.Value).Overlaps(addresses));
                if (other.Endpoint is null) continue;
                findings.Error(mine.Match.File, mine.Match.Line,
                    $"endpoint [{name}] (text) is identified by match = {mine.Match.Value}, as [{other.Endpoint}] is ({other.Match!.File}:{other.Match.Line}): Asterisk would give some MESSAGEs to [{other.Endpoint}], whose texts never reach the engine; give the text side its own address or port");
            }
        }
    }

    private static HashSet<string> Addresses(string match) =>
        match.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Endpoint names (without PJSIP/) the engine subscribes to: gateways and agency desks.</summary>
    private static HashSet<string> Watched(TextOptions? text)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (text is null || !text.Enabled) return names;
        foreach (var gateway in text.Gateways.Values)
            if (RoutingTrunks.PjsipEndpoint(gateway?.Endpoint) is { } name) names.Add(name);
        foreach (var desk in text.Agencies.Values)
            if (RoutingTrunks.PjsipEndpoint(DeskEndpoint(desk?.To)) is { } name) names.Add(name);
        return names;
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
