using Routing.Checks.Prompts;

namespace Routing.Engine.Simulation;

/// <summary>The shipped prompts' real lengths, so the simulated callers of <c>make run</c> sit
/// through menus as long as real callers would (media <c>sound:112/&lt;lang&gt;/&lt;prompt&gt;</c>).</summary>
internal static class PromptSounds
{
    public static Dictionary<string, TimeSpan> Durations(string promptsDir, string promptBase)
    {
        var durations = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        var audio = Path.Combine(promptsDir, "audio");
        if (!Directory.Exists(audio))
        {
            return durations;
        }

        foreach (var languageDir in Directory.EnumerateDirectories(audio))
        {
            var language = Path.GetFileName(languageDir);
            foreach (var prompt in PromptSet.Names)
            {
                var format = WavFormat.Read(PromptSet.AudioPath(promptsDir, language, prompt), out _);
                if (format is not null)
                {
                    durations[$"sound:{promptBase}/{language}/{prompt}"] = format.Duration;
                }
            }
        }

        return durations;
    }
}
