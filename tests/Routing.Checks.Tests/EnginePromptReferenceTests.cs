using System.Text.RegularExpressions;
using Routing.Checks.Prompts;

namespace Routing.Checks.Tests;

/// <summary>The prompts the call actually plays (literals in engine/Routing.Calls) are all in
/// <see cref="PromptSet"/>, so check-config and the prompt tests cover every one of them.</summary>
public partial class EnginePromptReferenceTests
{
    [Fact]
    public void Every_prompt_the_call_plays_is_in_the_checked_prompt_set()
    {
        var sources = Directory.EnumerateFiles(Path.Combine(RepositoryFiles.Root, "engine", "Routing.Calls"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        var referenced = sources
            .SelectMany(f => PromptCall().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);

        Assert.True(referenced.Count > 0, "no Play...Prompt(\"name\") call found in engine/Routing.Calls: if prompts are named another way now, teach this test that way");
        Assert.All(referenced, name => Assert.Contains(name, PromptSet.Names));
    }

    [GeneratedRegex(@"Prompt\w*Async\(\s*""([a-z][a-z-]*)""")]
    private static partial Regex PromptCall();
}
