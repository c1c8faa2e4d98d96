using System.Globalization;
using System.Text.RegularExpressions;

namespace Routing.Calls.Text;

/// <summary>One ledger event of a text session, as an earlier run wrote it (kind, detail, time).</summary>
public sealed record TextLedgerEvent(string Kind, string Detail, DateTimeOffset At);

public sealed partial class TextSession
{
    /// <summary>
    /// The session an earlier run left open, rebuilt from what it wrote to the ledger (its only durable state): the
    /// transcript (<c>text.in</c>, <c>text.out</c>, <c>text.agency</c>), who held it (<c>text.accepted</c>), how it was
    /// classified (<c>classified</c>), where it went (<c>text.transferred</c>) and when anything last happened. Region
    /// and language come from <c>text.opened</c>; the endpoint and entry from the gateway's options. A session that had
    /// ended (<c>outcome</c>) is not restored: null.
    /// </summary>
    public static TextSession? Restore(string id, string gateway, TextGatewayOptions options, string number, DateTimeOffset openedAt, IEnumerable<TextLedgerEvent> events)
    {
        var list = events.OrderBy(e => e.At).ToList();
        if (list.Any(e => e.Kind == "outcome")) return null;
        var opened = list.FirstOrDefault(e => e.Kind == "text.opened");
        var place = opened is null ? null : OpenedPattern().Match(opened.Detail);
        var region = place is { Success: true } ? place.Groups["region"].Value : "";
        var language = place is { Success: true } && place.Groups["language"].Value != "unknown" ? place.Groups["language"].Value : null;
        var previous = list.FirstOrDefault(e => e.Kind == "text.linked") is { } linked && linked.Detail.StartsWith("follows closed session ", StringComparison.Ordinal)
            ? linked.Detail["follows closed session ".Length..]
            : null;

        var session = new TextSession(id, gateway, options.Endpoint, new TextSender(number, "", []), region, language, options.Entry, previous, openedAt);
        foreach (var e in list)
        {
            switch (e.Kind)
            {
                case "text.in" when Numbered(e.Detail) is { } text:
                    session.Add(TextDirection.In, text, e.At, number.Length > 0 ? number : options.Endpoint);
                    break;
                case "text.out" when OutPattern().Match(e.Detail) is { Success: true } m:
                    var by = m.Groups["by"].Value;
                    var author = by == "engine" ? "engine" : by.StartsWith("agency ", StringComparison.Ordinal) ? "agency:" + by["agency ".Length..] : by.Split(' ')[0];
                    session.Add(TextDirection.Out, m.Groups["text"].Value, e.At, author);
                    break;
                case "text.agency" when Numbered(e.Detail) is { } copy:
                    var colon = copy.IndexOf("): ", StringComparison.Ordinal);
                    session.Add(TextDirection.ToAgency, colon >= 0 ? copy[(colon + 3)..] : copy, e.At, "engine");
                    break;
                case "text.accepted" when e.Detail.StartsWith("by ", StringComparison.Ordinal):
                    var who = e.Detail[3..].Split(' ');
                    session.State = TextSessionState.WithCallTaker;
                    session.CallTaker = who[0];
                    session.CallTakerUser = who.Length > 1 ? who[1].Trim('(', ')') : null;
                    break;
                case "classified" when ClassifiedPattern().Match(e.Detail) is { Success: true } c
                                       && Enum.TryParse<ClassificationKind>(c.Groups["kind"].Value, out var kind):
                    session.Kind = kind;
                    session.Agency = kind == ClassificationKind.Emergency && c.Groups["agency"].Success ? c.Groups["agency"].Value : null;
                    break;
                case "text.transferred" when e.Detail.StartsWith("to ", StringComparison.Ordinal):
                    session.State = TextSessionState.WithAgency;
                    session.Agency = e.Detail[3..].Split(' ')[0];
                    session.Kind ??= ClassificationKind.Emergency;
                    break;
            }

            session.LastActivity = e.At > session.LastActivity ? e.At : session.LastActivity;
        }

        return session;
    }

    /// <summary>Back in the queue after the engine came back: the call-taker who held it lost it with the engine (the
    /// centre starts with no one busy), so the next free one takes it up, transcript and classification kept.</summary>
    public string? Requeue(DateTimeOffset at)
    {
        if (State != TextSessionState.WithCallTaker) return $"text session {Id} is {State}; only one with a call-taker goes back to the queue";
        State = TextSessionState.Waiting;
        CallTaker = null;
        CallTakerUser = null;
        LastActivity = at;
        return null;
    }

    /// <summary>"#3: text" → "text".</summary>
    private static string? Numbered(string detail)
    {
        if (!detail.StartsWith('#')) return null;
        var colon = detail.IndexOf(": ", StringComparison.Ordinal);
        var space = detail.IndexOf(' ', StringComparison.Ordinal);
        if (colon < 0) return null;
        // "#2 to police (1/1): …" keeps its own prefix for the caller of text.agency.
        return space >= 0 && space < colon ? detail[(space + 1)..] : detail[(colon + 2)..];
    }

    [GeneratedRegex(@"^.* at \S+, region (?<region>\S+), language (?<language>\S+)$", RegexOptions.Singleline | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex OpenedPattern();

    [GeneratedRegex(@"^#\d+ by (?<by>.+?): (?<text>.*)$", RegexOptions.Singleline | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex OutPattern();

    [GeneratedRegex(@"^by .+?\): (?<kind>[A-Za-z]+)(?: / (?<agency>[a-z0-9_-]+))?", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex ClassifiedPattern();
}
