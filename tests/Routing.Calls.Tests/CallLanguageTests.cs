using Routing.Calls.Tests.Fakes;
using Routing.Calls.Routing;

namespace Routing.Calls.Tests;

/// <summary>The language a call starts in is decided, never taken from the accidental channel
/// language <c>en</c> a real Asterisk reports when the endpoint has no <c>language=</c>.</summary>
public class CallLanguageTests
{
    private static Classification Classified(CallEntry entry, FirstStep step) =>
        new(entry, entry.ToString(), step, step == FirstStep.Agency ? "fire" : null, "almaty", "+77271234567", "", "101", null, null, []);

    private static IvrOptions Ivr(Action<IvrOptions>? change = null)
    {
        var ivr = TestOptions.Default().Ivr;
        change?.Invoke(ivr);
        return ivr;
    }

    [Theory]
    [InlineData(CallEntry.Direct, FirstStep.Agency)]
    [InlineData(CallEntry.Sos, FirstStep.Agency)]
    [InlineData(CallEntry.Sos, FirstStep.Operator)]
    [InlineData(CallEntry.Emergency112, FirstStep.Menu)]
    [InlineData(CallEntry.App, FirstStep.Menu)]
    public void The_accidental_channel_language_en_is_ignored(CallEntry entry, FirstStep step)
    {
        Assert.Equal("ru", CallLanguage.Initial(Classified(entry, step), "en", Ivr()));
    }

    [Fact]
    public void A_configured_entry_language_wins_over_a_trusted_channel_language()
    {
        var ivr = Ivr(i => { i.EntryLanguages["sos"] = "kk"; i.TrustChannelLanguage = true; });

        Assert.Equal("kk", CallLanguage.Initial(Classified(CallEntry.Sos, FirstStep.Agency), "en", ivr));
    }

    [Fact]
    public void A_trusted_channel_language_is_taken_in_the_menus_spelling_when_prompts_exist()
    {
        var ivr = Ivr(i => i.TrustChannelLanguage = true);

        Assert.Equal("kk", CallLanguage.Initial(Classified(CallEntry.Direct, FirstStep.Agency), "KK", ivr));
        Assert.Equal("ru", CallLanguage.Initial(Classified(CallEntry.Direct, FirstStep.Agency), "de", ivr));
        Assert.Equal("ru", CallLanguage.Initial(Classified(CallEntry.Direct, FirstStep.Agency), "", ivr));
    }

    [Fact]
    public void Menu_calls_start_in_the_default_language_whatever_is_configured_for_their_entry()
    {
        var ivr = Ivr(i => { i.EntryLanguages["112"] = "en"; i.TrustChannelLanguage = true; });

        Assert.Equal("ru", CallLanguage.Initial(Classified(CallEntry.Emergency112, FirstStep.Menu), "kk", ivr));
    }

    [Fact]
    public void Every_entry_has_a_key()
    {
        Assert.Equal(CallLanguage.EntryKeys.Order(), Enum.GetValues<CallEntry>().Select(CallLanguage.EntryKey).Order());
    }
}
