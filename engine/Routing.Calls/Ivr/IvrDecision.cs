namespace Routing.Calls;

/// <summary>Something the menu did that goes on the call's record (journal kind and detail).</summary>
public sealed record IvrNote(string Kind, string Detail);

/// <summary>What <see cref="IvrMenu"/> tells the call to do next. <see cref="Notes"/> are journalled
/// first, in order, before the call acts.</summary>
public abstract record IvrDecision
{
    private IvrDecision(IReadOnlyList<IvrNote> notes) => Notes = notes;

    public IReadOnlyList<IvrNote> Notes { get; }

    /// <summary>Play this prompt in this language; a digit barges in.</summary>
    public sealed record Play(string Prompt, string Language, IReadOnlyList<IvrNote> Notes) : IvrDecision(Notes)
    {
        public Play(string prompt, string language) : this(prompt, language, []) { }
    }

    /// <summary>The prompt is over: wait for a digit (Timers.MenuDigit), then <see cref="IvrMenu.Silence"/>.</summary>
    public sealed record AwaitDigit() : IvrDecision([]);

    /// <summary>The caller chose a language: the call speaks it from now on and plays
    /// <paramref name="Prompt"/> in it.</summary>
    public sealed record LanguageChosen(string Language, string Prompt, IReadOnlyList<IvrNote> Notes) : IvrDecision(Notes);

    /// <summary>The caller chose a service: the call is classified for this agency.</summary>
    public sealed record AgencyChosen(string Agency) : IvrDecision([]);

    /// <summary>The menu gave up (invalid digits, or silence after the silent-call prompt): a call-taker takes over.</summary>
    public sealed record ToCallTaker(IReadOnlyList<IvrNote> Notes) : IvrDecision(Notes);

    /// <summary>The digit changes nothing; the call records it with <paramref name="Reason"/> and
    /// leaves the prompt playing.</summary>
    public sealed record Ignored(string Reason) : IvrDecision([]);
}
