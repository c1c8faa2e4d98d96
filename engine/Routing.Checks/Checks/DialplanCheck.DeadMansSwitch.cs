using System.Globalization;
using Routing.Checks.Asterisk;
using Routing.Checks.Settings;

namespace Routing.Checks.Checks;

internal static partial class DialplanCheck
{
    /// <summary>[globals] seconds a caller may wait in Stasis() without the engine; equal to Asterisk:DeadMansSwitch.</summary>
    public const string DeadManGlobal = "DEADMAN_SECONDS";

    /// <summary>The dialplan function the switch arms (funcs/func_timeout.c).</summary>
    public const string AbsoluteTimeout = "TIMEOUT(absolute)";

    /// <summary>Channel variable: the entry's own fallback destination, for the context's T extension.</summary>
    public const string OwnDestinationVariable = "ROUTING112_OWN";

    /// <summary>
    /// The dead man's switch, dialplan half, against the engine half (Asterisk:DeadMansSwitch). Every extension
    /// that runs Stasis() arms TIMEOUT(absolute) and names its own destination (ROUTING112_OWN) before it; every
    /// context with such an extension has a T extension (main/pbx.c continues there when the timeout fires, and
    /// hangs the caller up when there is none) that runs the fallback; [sub-fallback] clears the timeout first (it
    /// would cut the fallback's Dial() and conversation); DEADMAN_SECONDS equals the engine's setting: a dialplan
    /// that arms the timeout while the engine never re-arms it sends every caller still in the menu after that long
    /// to the fallback, and an engine that re-arms while the dialplan never arms leaves callers in Stasis forever
    /// when the engine dies (the caller-side finding above).
    /// </summary>
    public static void CheckDeadMansSwitch(Dialplan dialplan, AsteriskSettings asterisk, string settingsPath, Findings findings)
    {
        var arming = new List<DialplanStep>();
        foreach (var extension in dialplan.Steps.GroupBy(s => (Context: s.Context.ToLowerInvariant(), s.Extension)).Where(g => g.Any(s => s.Is("Stasis"))))
        {
            var steps = extension.ToList();
            var stasis = steps.First(s => s.Is("Stasis"));
            var where = $"extension {stasis.Extension} of [{stasis.Context}]";
            var before = steps.Where(s => s.Line < stasis.Line).ToList();
            var arm = before.LastOrDefault(s => SetsVariable(s, AbsoluteTimeout));
            if (arm is null)
            {
                findings.Error(stasis.File, stasis.Line,
                    $"{where} runs Stasis() without Set({AbsoluteTimeout}=${{{DeadManGlobal}}}) before it: if the engine dies while this caller waits, nothing moves them on (dead man's switch)");
            }
            else
            {
                arming.Add(arm);
            }

            var own = before.LastOrDefault(s => SetsVariable(s, OwnDestinationVariable));
            var fallback = steps.FirstOrDefault(s => s.Line > stasis.Line && s.Is("Gosub") && s.Data.StartsWith(FallbackContext + ",", StringComparison.OrdinalIgnoreCase));
            var destination = fallback is null ? null : GosubArgument(fallback);
            if (own is null)
            {
                findings.Error(stasis.File, stasis.Line,
                    $"{where} runs Stasis() without Set({OwnDestinationVariable}=<destination>) before it: its T extension would not know where this caller's fallback goes");
            }
            else if (destination is not null && !string.Equals(ValueSet(own), destination, StringComparison.Ordinal))
            {
                findings.Error(own.File, own.Line,
                    $"{where} sets {OwnDestinationVariable}={ValueSet(own)}, but its own fallback goes to '{destination}': a caller whose engine died would reach another destination than with the engine away");
            }
        }

        foreach (var context in dialplan.Steps.Where(s => s.Is("Stasis")).Select(s => s.Context).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var section = dialplan.Contexts[context];
            var t = dialplan.InContext(context).Where(s => s.Extension == "T").ToList();
            if (t.Count == 0)
            {
                findings.Error(section.File, section.Line,
                    $"[{context}] runs Stasis() but has no T extension: when a waiting caller's {AbsoluteTimeout} fires (the engine died), Asterisk hangs the caller up instead of running the fallback (main/pbx.c)");
            }
            else if (!t.Any(s => s.Is("Gosub") && s.Data.StartsWith(FallbackContext + ",", StringComparison.OrdinalIgnoreCase)))
            {
                findings.Error(t[0].File, t[0].Line, $"[{context}] T extension does not run Gosub({FallbackContext},…): a caller whose engine died would not be put through");
            }
        }

        var fallbackSteps = dialplan.InContext(FallbackContext).ToList();
        if (arming.Count > 0 && fallbackSteps.Count > 0)
        {
            var firstDial = fallbackSteps.FirstOrDefault(s => s.Is("Dial"));
            var clear = fallbackSteps.FirstOrDefault(s => SetsVariable(s, AbsoluteTimeout) && ValueSet(s) == "0");
            if (clear is null || (firstDial is not null && clear.Line > firstDial.Line))
            {
                findings.Error(fallbackSteps[0].File, fallbackSteps[0].Line,
                    $"[{FallbackContext}] does not clear {AbsoluteTimeout} (Set({AbsoluteTimeout}=0)) before its first Dial(): the timeout armed before Stasis() would cut the fallback's call");
            }
        }

        CheckDeadManSeconds(dialplan, arming, asterisk, settingsPath, findings);
    }

    private static void CheckDeadManSeconds(Dialplan dialplan, List<DialplanStep> arming, AsteriskSettings asterisk, string settingsPath, Findings findings)
    {
        var engine = asterisk.DeadMansSwitchSeconds;
        var origin = asterisk.DeadMansSwitchLine > 0 ? $"{settingsPath}:{asterisk.DeadMansSwitchLine}" : "the engine's default";
        var global = dialplan.Globals?.Last(DeadManGlobal);
        int? seconds = null;
        if (global is not null)
        {
            if (int.TryParse(global.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= 2) seconds = parsed;
            else findings.Error(global.File, global.Line, $"{DeadManGlobal} is '{global.Value}', not whole seconds of at least 2");
        }
        else if (arming.Any(s => ValueSet(s).Contains("${" + DeadManGlobal + "}", StringComparison.Ordinal)))
        {
            findings.Error(dialplan.File.Path, 0, $"[globals] has no {DeadManGlobal}, which Set({AbsoluteTimeout}=${{{DeadManGlobal}}}) uses: the timeout would be empty, i.e. never armed");
        }

        foreach (var literal in arming.Where(s => !ValueSet(s).Contains("${" + DeadManGlobal + "}", StringComparison.Ordinal)))
        {
            findings.Error(literal.File, literal.Line, $"Set({AbsoluteTimeout}={ValueSet(literal)}): arm it with ${{{DeadManGlobal}}}, the one value check-config holds equal to Asterisk:DeadMansSwitch");
        }

        if (arming.Count == 0 || seconds is not { } armed) return;
        if (engine == 0)
        {
            findings.Error(global!.File, global.Line,
                $"the dialplan arms {AbsoluteTimeout} ({DeadManGlobal} = {armed}) but Asterisk:DeadMansSwitch is off ({origin}): nobody re-arms it, so every caller still in the menu or the queue after {armed} s would be sent to the fallback");
        }
        else if (engine != armed)
        {
            findings.Error(global!.File, global.Line,
                $"{DeadManGlobal} is {armed} but Asterisk:DeadMansSwitch is {engine} s ({origin}): they must be equal (the engine re-arms every half of its own window; a shorter dialplan window moves callers on before the engine's first re-arm, a longer one makes callers wait longer than the engine promises)");
        }
    }

    private static bool SetsVariable(DialplanStep step, string name) =>
        step.Is("Set") && step.Data.StartsWith(name + "=", StringComparison.OrdinalIgnoreCase);

    private static string ValueSet(DialplanStep set) => set.Data[(set.Data.IndexOf('=') + 1)..].Trim();

    /// <summary>ARG1 of Gosub(context,exten,priority(arg1,...)).</summary>
    private static string? GosubArgument(DialplanStep gosub)
    {
        var open = gosub.Data.IndexOf('(');
        if (open < 0 || !gosub.Data.EndsWith(')')) return null;
        var args = DialplanStep.SplitArgs(gosub.Data[(open + 1)..^1]);
        return args.Count > 0 ? args[0] : null;
    }
}
