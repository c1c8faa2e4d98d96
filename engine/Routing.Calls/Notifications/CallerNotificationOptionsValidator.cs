namespace Routing.Calls.Notifications;

/// <summary>Every configuration error at once, each naming its key under <c>Notifications</c>.</summary>
public static class CallerNotificationOptionsValidator
{
    public static IReadOnlyList<string> Validate(CallerNotificationOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var errors = new List<string>();
        const string s = CallerNotificationOptions.Section;
        if (o.Sender is not ("SipMessage" or "Http"))
            errors.Add($"{s}:Sender '{o.Sender}' is not SipMessage or Http");
        if (o.Enabled && o.SmsCapablePrefixes.Count == 0)
            errors.Add($"{s}:SmsCapablePrefixes is empty: no caller could be sent a message (list the mobile ranges, e.g. +7701)");
        for (var i = 0; i < o.SmsCapablePrefixes.Count; i++)
        {
            var p = o.SmsCapablePrefixes[i];
            if (p.Length < 2 || p.Skip(p[0] == '+' ? 1 : 0).Any(c => !char.IsAsciiDigit(c)))
                errors.Add($"{s}:SmsCapablePrefixes:{i} '{p}' is not a number prefix such as +7701");
        }

        if (o.MaxAttempts is < 1 or > 20) errors.Add($"{s}:MaxAttempts {o.MaxAttempts} must be 1..20");
        if (o.FirstRetryDelay <= TimeSpan.Zero) errors.Add($"{s}:FirstRetryDelay must be positive");
        if (o.MaxRetryDelay < o.FirstRetryDelay) errors.Add($"{s}:MaxRetryDelay must be at least FirstRetryDelay");
        if (o.QueueCapacity < 1) errors.Add($"{s}:QueueCapacity must be at least 1");
        if (o.CentreUtcOffset < TimeSpan.FromHours(-14) || o.CentreUtcOffset > TimeSpan.FromHours(14))
            errors.Add($"{s}:CentreUtcOffset {o.CentreUtcOffset} is not a UTC offset");
        if (o.Sender == "SipMessage" && !o.SipMessageTo.Contains("{number}", StringComparison.Ordinal))
            errors.Add($"{s}:SipMessageTo must contain {{number}}");
        if (o.Enabled && o.Sender == "Http" && !Uri.TryCreate(o.HttpGatewayUrl, UriKind.Absolute, out _))
            errors.Add($"{s}:HttpGatewayUrl '{o.HttpGatewayUrl}' is not an absolute URL");
        foreach (var (language, stages) in o.Templates)
        {
            foreach (var (stage, text) in stages)
            {
                if (string.IsNullOrWhiteSpace(text)) errors.Add($"{s}:Templates:{language}:{stage} is empty");
                else if (text.Length > 320) errors.Add($"{s}:Templates:{language}:{stage} is {text.Length} characters; keep it to 320 (a few SMS segments)");
                else if (!text.Contains("{ref}", StringComparison.Ordinal)) errors.Add($"{s}:Templates:{language}:{stage} lacks {{ref}}: the caller needs the registration number");
            }
        }

        return errors;
    }
}
