using System.Globalization;
using Routing.Calls.Routing;

namespace Routing.Calls.Notifications;

/// <summary>What the caller is to be told at one stage of their call; the engine queues it.</summary>
/// <param name="Skipped">Why nothing is sent (recorded as such), or null when <see cref="Text"/> is to be sent.</param>
public sealed record NotificationDecision(string CallId, NotificationStage Stage, string Number, string? Text, string? Skipped)
{
    public bool Send => Skipped is null;
}

/// <summary>Facts of a call the policy needs; none of them is free text from the caller.</summary>
/// <param name="Reference">The caller's registration number (short, e.g. from the call id).</param>
/// <param name="Agency">Agency key when handed over (police, fire…).</param>
/// <param name="SilentOrPrank">Classified silent or prank by a call-taker or the IVR.</param>
public sealed record NotificationFacts(
    string CallId,
    string Reference,
    string CallerNumber,
    string Language,
    string? Agency,
    bool SilentOrPrank,
    DateTimeOffset At);

/// <summary>
/// Decides, with no I/O, whether and what to tell a caller at a stage: only numbers that can take an SMS,
/// never silent or prank callers unless configured, text in the caller's language with the registration
/// number, agency and time filled in.
/// </summary>
public sealed class CallerNotificationPolicy
{
    private readonly CallerNotificationOptions _options;
    private readonly IReadOnlyDictionary<string, AgencyOptions> _agencies;

    public CallerNotificationPolicy(CallerNotificationOptions options, IReadOnlyDictionary<string, AgencyOptions> agencies)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _agencies = agencies ?? throw new ArgumentNullException(nameof(agencies));
    }

    public NotificationDecision Decide(NotificationStage stage, NotificationFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var number = CallerText.NormaliseNumber(facts.CallerNumber);
        if (!_options.Enabled) return Skip("notifications are disabled (Notifications:Enabled)");
        if (!_options.Stages.Contains(stage)) return Skip($"stage {stage} is not in Notifications:Stages");
        if (number.Length == 0) return Skip("the caller's number is withheld or not a number");
        if (!_options.SmsCapablePrefixes.Any(p => number.StartsWith(p, StringComparison.Ordinal)))
            return Skip($"{number} is not in an SMS-capable range (Notifications:SmsCapablePrefixes)");
        if (facts.SilentOrPrank && !_options.NotifySilentOrPrank)
            return Skip("silent or prank call (Notifications:NotifySilentOrPrank is false)");
        if (stage == NotificationStage.HandedToAgency && string.IsNullOrEmpty(facts.Agency))
            return Skip("no agency to name");

        return new NotificationDecision(facts.CallId, stage, number, Render(Template(facts.Language, stage), facts), null);

        NotificationDecision Skip(string why) => new(facts.CallId, stage, number, null, why);
    }

    private string Template(string language, NotificationStage stage)
    {
        foreach (var lang in new[] { language, _options.DefaultLanguage })
        {
            if (_options.Templates.TryGetValue(lang, out var configured) && configured.TryGetValue(stage, out var text)) return text;
            if (NotificationTexts.Defaults.TryGetValue(lang, out var shipped) && shipped.TryGetValue(stage, out text)) return text;
        }

        return NotificationTexts.Defaults["en"][stage];
    }

    private string Render(string template, NotificationFacts facts)
    {
        var agency = facts.Agency is null ? "" : _agencies.TryGetValue(facts.Agency, out var a) && a.DisplayName.Length > 0 ? a.DisplayName : facts.Agency;
        var time = facts.At.ToOffset(_options.CentreUtcOffset).ToString("HH:mm", CultureInfo.InvariantCulture);
        return template.Replace("{ref}", facts.Reference, StringComparison.Ordinal)
            .Replace("{agency}", agency, StringComparison.Ordinal)
            .Replace("{time}", time, StringComparison.Ordinal);
    }

    /// <summary>A short number a person can read out over the phone: the last 8 hex digits of the call id
    /// (a UUIDv7, so they are its random part), upper case.</summary>
    public static string ReferenceFor(string callId)
    {
        var hex = new string(callId.Where(char.IsAsciiHexDigit).ToArray());
        return (hex.Length <= 8 ? hex : hex[^8..]).ToUpperInvariant();
    }
}
