using Routing.Calls.Routing;

namespace Routing.Calls;

/// <summary>
/// The 112 voice menu of one call: greeting, language menu, service menu, repeats and the silent
/// caller. It only decides: the call plays what it is told, arms the digit timer, journals the notes
/// and fires its machine. No I/O, no timers, no clock. Used from the call's loop only.
/// </summary>
/// <remarks>
/// Invalid digits count as repeats like silence does; when repeats run out an invalid digit goes to a
/// call-taker at once, while silence plays <c>silent-call</c> first (the caller may be unable to speak).
/// The greeting and the language menu are in <see cref="IvrOptions.DefaultLanguage"/>; the service
/// menu and the silent-call prompt in the call's language.
/// </remarks>
public sealed class IvrMenu
{
    private readonly IvrOptions _ivr;
    private readonly IReadOnlyDictionary<string, AgencyOptions> _agencies;

    public IvrMenu(RoutingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _ivr = options.Ivr;
        _agencies = options.Agencies;
        Language = _ivr.DefaultLanguage;
    }

    public IvrPhase Phase { get; private set; }

    /// <summary>Repeats of the current menu so far (reset when the language is chosen).</summary>
    public int Repeats { get; private set; }

    /// <summary>The language the caller hears the service menu and silent-call prompt in.</summary>
    public string Language { get; private set; }

    /// <summary>The caller enters the menu speaking <paramref name="callLanguage"/>: play the greeting.</summary>
    public IvrDecision Start(string callLanguage)
    {
        ArgumentNullException.ThrowIfNull(callLanguage);
        Phase = IvrPhase.Greeting;
        Repeats = 0;
        Language = callLanguage;
        return new IvrDecision.Play("greeting", _ivr.DefaultLanguage);
    }

    /// <summary>The current menu prompt is over (finished, failed to play, or timed out).</summary>
    public IvrDecision PromptFinished()
    {
        switch (Phase)
        {
            case IvrPhase.Greeting:
                Phase = IvrPhase.LanguageMenu;
                return new IvrDecision.Play("language-menu", _ivr.DefaultLanguage);
            case IvrPhase.SilentCall:
                return new IvrDecision.ToCallTaker([]);
            default:
                return new IvrDecision.AwaitDigit();
        }
    }

    /// <summary>The caller pressed <paramref name="digit"/> (during a prompt or after it).</summary>
    public IvrDecision Digit(char digit)
    {
        var key = digit.ToString();
        if (Phase == IvrPhase.SilentCall) return new IvrDecision.Ignored("already going to a call-taker");

        if (Phase is IvrPhase.Greeting or IvrPhase.LanguageMenu)
        {
            if (_ivr.LanguageDigits.TryGetValue(key, out var language) && !string.IsNullOrEmpty(language))
            {
                Language = language;
                Phase = IvrPhase.ServiceMenu;
                Repeats = 0;
                return new IvrDecision.LanguageChosen(language, "service-menu", [new IvrNote("language", language)]);
            }
        }
        else if (_ivr.ServiceDigits.TryGetValue(key, out var agency) && _agencies.ContainsKey(agency))
        {
            return new IvrDecision.AgencyChosen(agency);
        }
        return Repeat(new IvrNote("dtmf.invalid", $"{key} in {Phase}"), silence: false);
    }

    /// <summary>No digit came within Timers.MenuDigit after the prompt.</summary>
    public IvrDecision Silence() => Repeat(note: null, silence: true);

    /// <summary>Replays the current menu, or gives up after Ivr.MenuRepeats repeats.</summary>
    private IvrDecision Repeat(IvrNote? note, bool silence)
    {
        var notes = new List<IvrNote>(2);
        if (note is not null) notes.Add(note);
        Repeats++;
        if (Repeats > _ivr.MenuRepeats)
        {
            notes.Add(new IvrNote("menu.exhausted", $"{Phase} after {Repeats - 1} repeats ({(silence ? "no digit" : "invalid digit")})"));
            if (!silence) return new IvrDecision.ToCallTaker(notes);
            Phase = IvrPhase.SilentCall;
            return new IvrDecision.Play("silent-call", Language, notes);
        }
        notes.Add(new IvrNote("menu.repeat", $"{Phase} repeat {Repeats}"));
        if (Phase == IvrPhase.ServiceMenu) return new IvrDecision.Play("service-menu", Language, notes);
        Phase = IvrPhase.LanguageMenu;
        return new IvrDecision.Play("language-menu", _ivr.DefaultLanguage, notes);
    }
}
