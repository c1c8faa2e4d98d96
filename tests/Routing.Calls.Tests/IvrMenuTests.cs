using Routing.Calls.Tests.Fakes;

namespace Routing.Calls.Tests;

/// <summary>The 112 voice menu as the caller lives it, without a call around it.</summary>
public class IvrMenuTests
{
    private static IvrMenu Menu(Action<Routing.RoutingOptions>? change = null)
    {
        var options = TestOptions.Default(); // ru by default; 1 kk, 2 ru, 3 en; 1 fire, 2 police; one repeat
        change?.Invoke(options);
        return new IvrMenu(options);
    }

    private static IvrMenu StartedMenu(string callLanguage = "ru")
    {
        var menu = Menu();
        menu.Start(callLanguage);
        return menu;
    }

    private static string[] Notes(IvrDecision decision) => decision.Notes.Select(n => $"{n.Kind}: {n.Detail}").ToArray();

    [Fact]
    public void The_caller_hears_the_greeting_then_the_language_menu_in_the_default_language_then_the_menu_waits_for_a_digit()
    {
        var menu = Menu();
        Assert.Equal(new IvrDecision.Play("greeting", "ru"), menu.Start("kk"));
        Assert.Equal(new IvrDecision.Play("language-menu", "ru"), menu.PromptFinished());
        Assert.Equal(IvrPhase.LanguageMenu, menu.Phase);
        Assert.IsType<IvrDecision.AwaitDigit>(menu.PromptFinished());
    }

    [Fact]
    public void A_digit_during_the_greeting_already_chooses_the_language_and_the_service_menu_follows_in_it()
    {
        var menu = StartedMenu();
        var decision = Assert.IsType<IvrDecision.LanguageChosen>(menu.Digit('1'));
        Assert.Equal(("kk", "service-menu"), (decision.Language, decision.Prompt));
        Assert.Equal(["language: kk"], Notes(decision));
        Assert.Equal((IvrPhase.ServiceMenu, "kk"), (menu.Phase, menu.Language));
    }

    [Fact]
    public void A_service_digit_chooses_the_agency()
    {
        var menu = StartedMenu();
        menu.Digit('2');
        Assert.Equal(new IvrDecision.AgencyChosen("police"), menu.Digit('2'));
    }

    [Fact]
    public void A_service_digit_of_an_agency_that_is_not_configured_is_an_invalid_digit()
    {
        var menu = Menu(o => o.Ivr.ServiceDigits["9"] = "coastguard");
        menu.Start("ru");
        menu.Digit('2');
        var decision = Assert.IsType<IvrDecision.Play>(menu.Digit('9'));
        Assert.Equal(["dtmf.invalid: 9 in ServiceMenu", "menu.repeat: ServiceMenu repeat 1"], Notes(decision));
    }

    [Fact]
    public void An_invalid_digit_during_the_greeting_replays_the_language_menu_in_the_default_language()
    {
        var menu = StartedMenu("kk");
        var decision = menu.Digit('7');
        Assert.Equal(new IvrDecision.Play("language-menu", "ru", decision.Notes), decision);
        Assert.Equal(["dtmf.invalid: 7 in Greeting", "menu.repeat: Greeting repeat 1"], Notes(decision));
        Assert.Equal(IvrPhase.LanguageMenu, menu.Phase);
    }

    [Fact]
    public void An_invalid_digit_in_the_service_menu_replays_it_in_the_chosen_language()
    {
        var menu = StartedMenu();
        menu.Digit('3');
        var decision = Assert.IsType<IvrDecision.Play>(menu.Digit('#'));
        Assert.Equal(("service-menu", "en"), (decision.Prompt, decision.Language));
    }

    [Fact]
    public void Invalid_digits_beyond_the_repeats_go_to_a_call_taker_at_once_without_the_silent_call_prompt()
    {
        var menu = StartedMenu();
        menu.Digit('7');
        var decision = Assert.IsType<IvrDecision.ToCallTaker>(menu.Digit('8'));
        Assert.Equal(["dtmf.invalid: 8 in LanguageMenu", "menu.exhausted: LanguageMenu after 1 repeats (invalid digit)"], Notes(decision));
    }

    [Fact]
    public void A_silent_caller_hears_the_menu_again_then_the_silent_call_prompt_in_the_call_language_then_goes_to_a_call_taker()
    {
        var menu = StartedMenu("kk");
        menu.PromptFinished();

        var repeat = menu.Silence();
        Assert.Equal(new IvrDecision.Play("language-menu", "ru", repeat.Notes), repeat);
        Assert.Equal(["menu.repeat: LanguageMenu repeat 1"], Notes(repeat));

        var silent = menu.Silence();
        Assert.Equal(new IvrDecision.Play("silent-call", "kk", silent.Notes), silent);
        Assert.Equal(["menu.exhausted: LanguageMenu after 1 repeats (no digit)"], Notes(silent));
        Assert.Equal(IvrPhase.SilentCall, menu.Phase);

        Assert.Equal(new IvrDecision.ToCallTaker([]), menu.PromptFinished());
    }

    [Fact]
    public void A_digit_after_the_menu_gave_up_on_a_silent_caller_is_ignored_and_changes_nothing()
    {
        var menu = StartedMenu();
        menu.Silence();
        menu.Silence();
        Assert.Equal(new IvrDecision.Ignored("already going to a call-taker"), menu.Digit('1'));
        Assert.Equal((IvrPhase.SilentCall, "ru"), (menu.Phase, menu.Language));
    }

    [Fact]
    public void Choosing_a_language_starts_the_repeats_of_the_service_menu_afresh()
    {
        var menu = StartedMenu();
        menu.Silence(); // the language menu's one repeat
        menu.Digit('2');
        Assert.Equal(0, menu.Repeats);
        var decision = menu.Silence();
        Assert.Equal(["menu.repeat: ServiceMenu repeat 1"], Notes(decision));
        Assert.Equal(new IvrDecision.Play("service-menu", "ru", decision.Notes), decision);
    }

    [Fact]
    public void With_no_repeats_configured_the_first_silence_already_plays_the_silent_call_prompt()
    {
        var menu = Menu(o => o.Ivr.MenuRepeats = 0);
        menu.Start("ru");
        var decision = Assert.IsType<IvrDecision.Play>(menu.Silence());
        Assert.Equal("silent-call", decision.Prompt);
        Assert.Equal(["menu.exhausted: Greeting after 0 repeats (no digit)"], Notes(decision));
    }
}
