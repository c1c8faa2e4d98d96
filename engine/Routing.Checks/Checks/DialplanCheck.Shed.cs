using Routing.Checks.Asterisk;

namespace Routing.Checks.Checks;

internal static partial class DialplanCheck
{
    /// <summary>The global the engine keeps ahead of EPOCH while it sheds (Overload:DialplanFlag).</summary>
    public const string ShedFlagGlobal = "ROUTING112_SHED_UNTIL";

    /// <summary>
    /// The overload flag, dialplan half: every extension that runs Stasis() checks the flag before it and, while
    /// the flag is up, goes to its n(shed) label, which sets STASISSTATUS=SHED (the engine records the call from
    /// AMI as shed) and falls into n(fallback). A warning, not an error: an entry without it still routes every
    /// caller, only through the engine's own shedding, which costs an overloaded Asterisk a StasisStart and a
    /// <c>continue</c> per caller.
    /// </summary>
    public static void CheckShedFlag(Dialplan dialplan, Findings findings)
    {
        foreach (var extension in dialplan.Steps.GroupBy(s => (Context: s.Context.ToLowerInvariant(), s.Extension)).Where(g => g.Any(s => s.Is("Stasis"))))
        {
            var steps = extension.ToList();
            var stasis = steps.First(s => s.Is("Stasis"));
            var where = $"extension {stasis.Extension} of [{stasis.Context}]";
            var check = steps.FirstOrDefault(s => s.Line < stasis.Line && s.Is("GotoIf") && s.Data.Contains(ShedFlagGlobal, StringComparison.Ordinal));
            if (check is null)
            {
                findings.Warning(stasis.File, stasis.Line,
                    $"{where} does not check {ShedFlagGlobal} before Stasis(): while the engine is overloaded its callers still enter Stasis to be shed one by one (see the n(shed) label of the shipped entries)");
                continue;
            }

            var index = steps.FindIndex(s => s.Label == "shed");
            var shed = index < 0 ? null : steps[index];
            if (shed is null || !shed.Is("Set") || shed.Data != "STASISSTATUS=SHED" || index + 1 >= steps.Count || steps[index + 1].Label != "fallback")
            {
                findings.Error(check.File, check.Line,
                    $"{where} checks {ShedFlagGlobal} but has no n(shed),Set(STASISSTATUS=SHED) just before its n(fallback): a shed caller would not be recorded as shed, or not put through");
            }
        }
    }
}
