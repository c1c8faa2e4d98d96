using Routing.Calls.Routing;

namespace Routing.Calls;

/// <summary>
/// The language a call starts in, decided on purpose. A real Asterisk reports a channel language of
/// <c>en</c> whenever the caller's endpoint has no <c>language=</c>, so the channel's language is an
/// accident unless the operator says otherwise (<see cref="IvrOptions.TrustChannelLanguage"/>, with
/// <c>language=</c> set on every caller-side endpoint in pjsip.conf). In order:
/// <list type="number">
/// <item>calls with the menu start in <see cref="IvrOptions.DefaultLanguage"/> (greeting and
/// language menu); the caller's choice then overrides it (the IVR, not this policy);</item>
/// <item>the entry's configured language (<see cref="IvrOptions.EntryLanguages"/>: 112, app,
/// direct, sos);</item>
/// <item>the channel's language, only when trusted and one we have prompts for;</item>
/// <item><see cref="IvrOptions.DefaultLanguage"/>.</item>
/// </list>
/// </summary>
public static class CallLanguage
{
    /// <summary>The <see cref="IvrOptions.EntryLanguages"/> key of each entry.</summary>
    public static string EntryKey(CallEntry entry) => entry switch
    {
        CallEntry.Emergency112 => "112",
        CallEntry.App => "app",
        CallEntry.Direct => "direct",
        CallEntry.Sos => "sos",
        _ => "112",
    };

    /// <summary>Every key <see cref="IvrOptions.EntryLanguages"/> accepts.</summary>
    public static IReadOnlyList<string> EntryKeys { get; } = ["112", "app", "direct", "sos"];

    public static string Initial(Classification classification, string? channelLanguage, IvrOptions ivr)
    {
        ArgumentNullException.ThrowIfNull(classification);
        ArgumentNullException.ThrowIfNull(ivr);
        if (classification.FirstStep == FirstStep.Menu) return ivr.DefaultLanguage;
        if (ivr.EntryLanguages.TryGetValue(EntryKey(classification.Entry), out var configured) && Known(configured, ivr) is { } entry)
            return entry;
        if (ivr.TrustChannelLanguage && Known(channelLanguage, ivr) is { } channel) return channel;
        return ivr.DefaultLanguage;
    }

    /// <summary>The menu's spelling of <paramref name="language"/>, or null when we have no prompts for it.</summary>
    private static string? Known(string? language, IvrOptions ivr) =>
        string.IsNullOrEmpty(language)
            ? null
            : ivr.LanguageDigits.Values.FirstOrDefault(l => string.Equals(l, language, StringComparison.OrdinalIgnoreCase));
}
