using System.Globalization;
using Routing.Calls.Text;
using Routing.Checks.Asterisk;
using Routing.Checks.Settings;

namespace Routing.Checks.Checks;

/// <summary>
/// The dialplan's text fallback against the Text section: the message context of every gateway must read the engine's
/// heartbeat (<c>ROUTING112_TEXT_HEARTBEAT</c>) and forward on its own when it is stale, and [globals] must agree with
/// the engine — a stale limit of more than twice <c>Text:HeartbeatInterval</c> (or texts would be forwarded while the
/// engine reads them too) and at most <see cref="MaxStaleSeconds"/> (a warning: texts after a crash are lost that long), the fallback agency's desk, the engine's From, and a reply in the fallback language.
/// </summary>
internal static class TextFallbackCheck
{
    public const string Heartbeat = "ROUTING112_TEXT_HEARTBEAT";
    public const string Stale = "TEXT_HEARTBEAT_STALE";
    public const string Desk = "TEXT_FALLBACK_DESK";
    public const string From = "TEXT_FALLBACK_FROM";
    public const string Language = "TEXT_FALLBACK_LANGUAGE";
    public const string ReplyPrefix = "TEXT_FALLBACK_REPLY_";

    /// <summary>After an engine crash ARI has no app to hand texts to, and the dialplan still leaves them to the engine
    /// until the heartbeat is this old: those texts are read by nobody. "A few seconds" at most.</summary>
    public const int MaxStaleSeconds = 5;

    public static void Run(AppSettingsFile settings, TextOptions text, PjsipCheck pjsip, Dialplan dialplan, Findings findings)
    {
        var contexts = text.Gateways.Values
            .Select(g => RoutingTrunks.PjsipEndpoint(g?.Endpoint))
            .OfType<string>()
            .Select(name => pjsip.Endpoints.TryGetValue(name, out var e) ? e.Value("message_context") : null)
            .OfType<string>()
            .Where(dialplan.Contexts.ContainsKey)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        foreach (var context in contexts)
        {
            var steps = dialplan.InContext(context).ToList();
            var section = dialplan.Contexts[context];
            if (!steps.Any(s => s.Data.Contains($"GLOBAL({Heartbeat})", StringComparison.Ordinal)))
                findings.Error(section.File, section.Line, $"[{context}] (a text gateway's message_context) never reads ${{GLOBAL({Heartbeat})}}: while the engine is away its texts would be read by nobody (dialplans/README.md, text fallback)");
            else if (!steps.Any(s => s.Is("MessageSend")))
                findings.Error(section.File, section.Line, $"[{context}] reads the engine's heartbeat but has no MessageSend(): a text that finds the engine away would be dropped");
        }

        if (contexts.Count == 0) return;
        var globals = dialplan.Globals;
        var stale = globals?.Last(Stale);
        var interval = text.HeartbeatInterval.TotalSeconds;
        var intervalKey = $"{TextOptions.Section}:HeartbeatInterval";
        if (stale is null || !int.TryParse(stale.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            findings.Error(stale?.File ?? dialplan.File.Path, stale?.Line ?? 0, $"[globals] {Stale} must be whole seconds (how old the engine's text heartbeat may be), not '{stale?.Value}'");
        else if (seconds <= 2 * interval)
            findings.Error(stale.File, stale.Line, $"{Stale} = {seconds} is not more than twice {intervalKey} ({interval:0.#} s, {settings.Path}:{settings.LineOf(intervalKey)}): one late heartbeat would make the dialplan forward texts the engine reads too");
        else if (seconds > MaxStaleSeconds)
            findings.Warning(stale.File, stale.Line, $"{Stale} = {seconds}: for {seconds} s after an engine crash every text goes to a Stasis app nobody reads (lost); keep it at most {MaxStaleSeconds} s with {intervalKey} 1 s");

        var desk = globals?.Last(Desk);
        var wanted = text.Agencies.TryGetValue(text.FallbackAgency, out var a) ? a?.To : null;
        if (desk is null || !string.Equals(desk.Value, wanted, StringComparison.Ordinal))
            findings.Error(desk?.File ?? dialplan.File.Path, desk?.Line ?? 0, $"[globals] {Desk} is '{desk?.Value}' but {TextOptions.Section}:Agencies:{text.FallbackAgency}:To (the fallback agency's desk) is '{wanted}': the engine and the dialplan would send texts it cannot take to different desks");

        var from = globals?.Last(From);
        if (from is null || !string.Equals(from.Value, text.From, StringComparison.Ordinal))
            findings.Error(from?.File ?? dialplan.File.Path, from?.Line ?? 0, $"[globals] {From} is '{from?.Value}' but {TextOptions.Section}:From is '{text.From}': the desk and the caller would see two senders");

        var language = globals?.Last(Language)?.Value ?? "";
        var reply = globals?.Last(ReplyPrefix + language);
        if (reply is null || reply.Value.Trim().Length == 0)
            findings.Error(globals?.File ?? dialplan.File.Path, globals?.Line ?? 0, $"[globals] has no {ReplyPrefix}{language} for {Language} = '{language}': the sender would get an empty reply");
        else if (reply.Value.Contains(',', StringComparison.Ordinal))
            findings.Warning(reply.File, reply.Line, $"{reply.Key} holds a comma: kept by Set() but easy to break when it moves into an application's arguments; use a dash");
    }
}
