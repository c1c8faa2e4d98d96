using System.Text.RegularExpressions;
using Routing.Checks.Prompts;

namespace Routing.Checks.Checks;

/// <summary>Every prompt in every language the menu offers: a text, and audio Asterisk can play
/// as it is (RIFF WAVE PCM, 8000 Hz, mono, 16-bit). The language menu offers every language.</summary>
internal static partial class PromptCheck
{
    public static void Run(string promptsDir, IReadOnlyCollection<string> languages, Findings findings)
    {
        foreach (var language in languages)
        {
            foreach (var prompt in PromptSet.Names)
            {
                CheckText(PromptSet.TextPath(promptsDir, language, prompt), language, prompt, findings);
                CheckAudio(PromptSet.AudioPath(promptsDir, language, prompt), language, prompt, findings);
            }
            CheckLanguageMenu(PromptSet.TextPath(promptsDir, language, PromptSet.LanguageMenu), languages, findings);
        }
    }

    private static void CheckText(string path, string language, string prompt, Findings findings)
    {
        if (!File.Exists(path))
        {
            findings.Error(path, 0, $"missing prompt text: '{prompt}' in {language}");
            return;
        }
        if (string.IsNullOrWhiteSpace(File.ReadAllText(path)))
            findings.Error(path, 1, $"prompt text '{prompt}' in {language} is empty");
    }

    private static void CheckAudio(string path, string language, string prompt, Findings findings)
    {
        if (!File.Exists(path))
        {
            findings.Error(path, 0, $"missing prompt audio: '{prompt}' in {language} (make prompts); the caller would hear nothing");
            return;
        }
        var format = WavFormat.Read(path, out var problem);
        if (format is null)
        {
            findings.Error(path, 0, $"prompt audio '{prompt}' in {language}: {problem}");
            return;
        }
        if (!format.IsAsteriskPlayable)
        {
            var wrong = new List<string>();
            if (format.AudioFormat != WavFormat.PcmFormat) wrong.Add($"format {format.AudioFormat} is not PCM (1)");
            if (format.SampleRate != WavFormat.AsteriskRate) wrong.Add($"{format.SampleRate} Hz is not 8000 Hz");
            if (format.Channels != 1) wrong.Add($"{format.Channels} channels is not mono");
            if (format.BitsPerSample != 16) wrong.Add($"{format.BitsPerSample}-bit is not 16-bit");
            if (format.DataBytes == 0) wrong.Add("it holds no audio");
            findings.Error(path, 0, $"prompt audio '{prompt}' in {language}: {string.Join(", ", wrong)}; Asterisk plays .wav only as 8000 Hz mono 16-bit PCM");
        }
    }

    /// <summary>The language menu is heard before a language is chosen, so it offers each language
    /// in that language: one line "xx: ..." per language.</summary>
    private static void CheckLanguageMenu(string path, IReadOnlyCollection<string> languages, Findings findings)
    {
        if (!File.Exists(path)) return;
        var offered = File.ReadAllLines(path)
            .Select(l => LanguageLine().Match(l))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var language in languages.Where(l => !offered.Contains(l)))
        {
            findings.Error(path, 0, $"the language menu does not offer {language} (a line '{language}: ...' spoken in {language}); callers hear it before choosing a language");
        }
    }

    [GeneratedRegex(@"^\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)?):")]
    private static partial Regex LanguageLine();
}
