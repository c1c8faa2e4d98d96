using System.Text.RegularExpressions;
using Routing.Calls.Routing;

namespace Routing.Calls.Text;

/// <summary>Every error of the <c>Text</c> section at once, each naming its key.</summary>
public static partial class TextOptionsValidator
{
    public static IReadOnlyList<string> Validate(TextOptions text, RoutingOptions? routing = null)
    {
        var errors = new List<string>();
        if (!text.Enabled) return errors;
        const string s = TextOptions.Section;
        if (string.IsNullOrWhiteSpace(text.From) || !text.From.Contains("sip:", StringComparison.OrdinalIgnoreCase))
            errors.Add($"{s}:From must be a SIP address such as \"112\" <sip:112@psap.example>, not '{text.From}'");
        var endpoints = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, gateway) in text.Gateways)
        {
            if (gateway is null || !EndpointPattern().IsMatch(gateway.Endpoint ?? ""))
                errors.Add($"{s}:Gateways:{key}:Endpoint must be PJSIP/<endpoint>, not '{gateway?.Endpoint}'");
            else if (!endpoints.Add(gateway.Endpoint!))
                errors.Add($"{s}:Gateways:{key}:Endpoint {gateway.Endpoint} is listed by two gateways");
            if (gateway?.Language is { } language && !LanguagePattern().IsMatch(language))
                errors.Add($"{s}:Gateways:{key}:Language must be a language code such as kk, ru or en, not '{language}'");
            if (gateway?.Entry == CallEntry.Direct)
                errors.Add($"{s}:Gateways:{key}:Entry may not be Direct: text sessions queue for a call-taker");
            if (gateway?.ReplyTo is { } replyTo && (!replyTo.StartsWith("pjsip:", StringComparison.Ordinal) || !replyTo.Contains("{number}", StringComparison.Ordinal)))
                errors.Add($"{s}:Gateways:{key}:ReplyTo must start with pjsip: and hold {{number}}, not '{replyTo}'");
        }

        foreach (var (agency, target) in text.Agencies)
        {
            // An empty To takes a desk of the shipped configuration away (e.g. Text__Agencies__gas__To=): that agency takes no text.
            if (string.IsNullOrWhiteSpace(target?.To)) continue;
            if (routing is not null && !routing.Agencies.ContainsKey(agency))
                errors.Add($"{s}:Agencies:{agency} is not a configured agency (Routing:Agencies)");
            if (target is null || !(target.To ?? "").StartsWith("pjsip:", StringComparison.Ordinal) || target.To!.Length <= "pjsip:".Length)
                errors.Add($"{s}:Agencies:{agency}:To must be a pjsip: message destination such as pjsip:police-text, not '{target?.To}'");
        }

        if (string.IsNullOrWhiteSpace(text.FallbackAgency) || !text.HasDesk(text.FallbackAgency))
            errors.Add($"{s}:FallbackAgency '{text.FallbackAgency}' must be one of {s}:Agencies with a To ({string.Join(", ", text.Agencies.Where(a => text.HasDesk(a.Key)).Select(a => a.Key))}): a session nobody can take goes there");
        if (text.IdleTimeout < TimeSpan.FromSeconds(1) || text.IdleTimeout > TimeSpan.FromDays(1))
            errors.Add($"{s}:IdleTimeout must be between 00:00:01 and 1.00:00:00, not {text.IdleTimeout}");
        if (text.MaxBodyLength is < 160 or > 20_000)
            errors.Add($"{s}:MaxBodyLength must be between 160 and 20000 characters, not {text.MaxBodyLength}");
        if (text.MaxReplyLength is < 70 or > 2000)
            errors.Add($"{s}:MaxReplyLength must be between 70 and 2000 characters, not {text.MaxReplyLength}");
        if (text.FloodLimit < 1)
            errors.Add($"{s}:FloodLimit must be at least 1, not {text.FloodLimit}");
        if (text.FloodWindow <= TimeSpan.Zero)
            errors.Add($"{s}:FloodWindow must be greater than zero, not {text.FloodWindow}");
        if (text.MaxOpenSessions < 1)
            errors.Add($"{s}:MaxOpenSessions must be at least 1, not {text.MaxOpenSessions}");
        if (text.HeartbeatInterval < TimeSpan.FromSeconds(1) || text.HeartbeatInterval > TimeSpan.FromMinutes(1))
            errors.Add($"{s}:HeartbeatInterval must be between 00:00:01 and 00:01:00, not {text.HeartbeatInterval}");
        if (text.RememberClosed < 0)
            errors.Add($"{s}:RememberClosed must not be negative, not {text.RememberClosed}");
        return errors;
    }

    [GeneratedRegex("^PJSIP/[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex EndpointPattern();

    [GeneratedRegex("^[A-Za-z]{2,8}$")]
    private static partial Regex LanguagePattern();
}
