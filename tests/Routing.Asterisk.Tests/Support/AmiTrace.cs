using System.Text.RegularExpressions;

namespace Routing.Asterisk.Tests.Support;

/// <summary>An AMI server stream recording, cut into its parts with plain string operations (independent of the parser).</summary>
public sealed partial class AmiTrace
{
    public AmiTrace(string file)
    {
        Text = File.ReadAllText(Traces.PathOf(file));
        var blocks = Text.Split("\r\n\r\n", StringSplitOptions.RemoveEmptyEntries);
        BannerLine = blocks[0][..blocks[0].IndexOf("\r\n", StringComparison.Ordinal)];
        LoginResponse = blocks[0][(BannerLine.Length + 2)..] + "\r\n\r\n";
        Events = blocks.Skip(1).Where(b => b.StartsWith("Event:", StringComparison.Ordinal)).Select(b => b + "\r\n\r\n").ToList();
        EventCounts = EventLine().Matches(Text).GroupBy(m => m.Groups[1].Value).ToDictionary(g => g.Key, g => g.Count());
    }

    public string Text { get; }
    public string BannerLine { get; }
    public string LoginResponse { get; }
    public List<string> Events { get; }
    public Dictionary<string, int> EventCounts { get; }

    [GeneratedRegex(@"^Event: (\S+)\r$", RegexOptions.Multiline)]
    private static partial Regex EventLine();
}
