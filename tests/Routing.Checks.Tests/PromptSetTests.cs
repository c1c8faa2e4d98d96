using Routing.Checks.Prompts;

namespace Routing.Checks.Tests;

/// <summary>The committed prompt set: every prompt in every language, as text and as audio that
/// Asterisk plays without transcoding.</summary>
public class PromptSetTests
{
    public static TheoryData<string, string> EveryPrompt()
    {
        var data = new TheoryData<string, string>();
        foreach (var language in new[] { "kk", "ru", "en" })
        {
            foreach (var prompt in PromptSet.Names) data.Add(language, prompt);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPrompt))]
    public void Every_prompt_has_a_text_in_every_language(string language, string prompt)
    {
        var path = PromptSet.TextPath(RepositoryFiles.Prompts, language, prompt);

        Assert.True(File.Exists(path), $"{path} is missing");
        Assert.False(string.IsNullOrWhiteSpace(File.ReadAllText(path)), $"{path} is empty");
    }

    [Theory]
    [MemberData(nameof(EveryPrompt))]
    public void Every_prompt_has_audio_asterisk_plays_as_it_is(string language, string prompt)
    {
        var path = PromptSet.AudioPath(RepositoryFiles.Prompts, language, prompt);

        var format = WavFormat.Read(path, out var problem);

        Assert.True(format is not null, $"{path}: {problem}");
        Assert.Equal(WavFormat.PcmFormat, format.AudioFormat);
        Assert.Equal(8000, format.SampleRate);
        Assert.Equal(1, format.Channels);
        Assert.Equal(16, format.BitsPerSample);
        // Long enough to be speech, short enough not to hold a caller.
        Assert.InRange(format.Duration, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(30));
    }

    [Theory]
    [InlineData("kk")]
    [InlineData("ru")]
    [InlineData("en")]
    public void The_language_menu_offers_every_language_in_that_language_with_its_digit(string language)
    {
        var lines = File.ReadAllLines(PromptSet.TextPath(RepositoryFiles.Prompts, language, PromptSet.LanguageMenu));

        Assert.Contains(lines, l => l.StartsWith("kk:", StringComparison.Ordinal) && l.Contains("бір", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("ru:", StringComparison.Ordinal) && l.Contains("два", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("en:", StringComparison.Ordinal) && l.Contains("three", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("en", "fire", "one", "police", "two", "ambulance", "three", "gas", "four")]
    [InlineData("ru", "Пожарная", "один", "Полиция", "два", "Скорая", "три", "газовая", "четыре")]
    public void The_service_menu_names_the_agencies_in_digit_order(string language, params string[] words)
    {
        var text = File.ReadAllText(PromptSet.TextPath(RepositoryFiles.Prompts, language, PromptSet.ServiceMenu));

        var positions = words.Select(w => text.IndexOf(w, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order(), positions);
    }

    [Fact]
    public void No_prompt_is_left_over_without_a_name_the_engine_uses()
    {
        var files = Directory.EnumerateFiles(Path.Combine(RepositoryFiles.Prompts, "audio"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetFileNameWithoutExtension(f))
            .Distinct();

        Assert.All(files, name => Assert.Contains(name, PromptSet.Names));
    }
}
