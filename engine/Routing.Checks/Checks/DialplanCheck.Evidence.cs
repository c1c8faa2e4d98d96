using Routing.Checks.Asterisk;

namespace Routing.Checks.Checks;

internal static partial class DialplanCheck
{
    /// <summary>The subroutine every Stasis() extension calls first to start MixMonitor.</summary>
    public const string RecordSubroutine = "sub-record";

    /// <summary>The CEL user event the fallback raises; the engine's CEL import looks for it
    /// (engine/Routing.Engine/Calls/Cel/CelFallbackStory.Marker).</summary>
    public const string FallbackCelEvent = "routing112-fallback";

    /// <summary>
    /// Evidence the dialplan owes whether or not the engine is alive: every extension that runs Stasis()
    /// starts the recording first (Gosub(sub-record,s,1) before Stasis(), and sub-record runs MixMonitor),
    /// and the fallback raises the CEL event that lets the engine record, afterwards, the calls it routed
    /// while the engine was down - through TryExec, so that a missing app_celgenuserevent never stops the caller.
    /// </summary>
    /// <summary>CELGenUserEvent(routing112-fallback,…), or the same inside TryExec(), which keeps a build without
    /// app_celgenuserevent from hanging the caller up.</summary>
    private static bool RaisesFallbackCelEvent(DialplanStep step)
    {
        var data = step.Data;
        if (step.Is("TryExec"))
        {
            if (!data.StartsWith("CELGenUserEvent(", StringComparison.OrdinalIgnoreCase) || !data.EndsWith(')')) return false;
            data = data["CELGenUserEvent(".Length..^1];
        }
        else if (!step.Is("CELGenUserEvent"))
        {
            return false;
        }
        var args = DialplanStep.SplitArgs(data);
        return args.Count > 0 && args[0] == FallbackCelEvent;
    }

    public static void CheckEvidence(Dialplan dialplan, Findings findings)
    {
        var record = dialplan.Steps.Where(s => string.Equals(s.Context, RecordSubroutine, StringComparison.OrdinalIgnoreCase)).ToList();
        if (record.Count == 0 || !record.Any(s => s.Is("MixMonitor")))
        {
            findings.Error(dialplan.File.Path, 0, $"no [{RecordSubroutine}] context running MixMonitor(): calls would not be recorded from arrival");
        }

        foreach (var extension in dialplan.Steps.GroupBy(s => (Context: s.Context.ToLowerInvariant(), s.Extension)).Where(g => g.Any(s => s.Is("Stasis"))))
        {
            var steps = extension.ToList();
            var stasis = steps.First(s => s.Is("Stasis"));
            var recorded = steps.Any(s => s.Line < stasis.Line && s.Is("Gosub") && s.Data.StartsWith(RecordSubroutine + ",", StringComparison.OrdinalIgnoreCase));
            if (!recorded)
            {
                findings.Error(stasis.File, stasis.Line,
                    $"extension {stasis.Extension} of [{stasis.Context}] runs Stasis() without Gosub({RecordSubroutine},s,1) before it: this call would not be recorded from arrival, nor at all if the engine is down");
            }
        }

        var fallback = dialplan.Steps.Where(s => string.Equals(s.Context, "sub-fallback", StringComparison.OrdinalIgnoreCase)).ToList();
        if (fallback.Count == 0) return;
        foreach (var bare in fallback.Where(s => s.Is("CELGenUserEvent")))
        {
            // Without app_celgenuserevent Asterisk ends the call at this step (the caller gets 603): the
            // evidence would cost the caller the person the fallback exists to reach.
            findings.Error(bare.File, bare.Line,
                $"[sub-fallback] runs CELGenUserEvent() directly: without app_celgenuserevent.so the caller is hung up there; wrap it: TryExec(CELGenUserEvent({FallbackCelEvent},…))");
        }
        if (!fallback.Any(RaisesFallbackCelEvent))
        {
            findings.Error(fallback[0].File, fallback[0].Line,
                $"[sub-fallback] raises no TryExec(CELGenUserEvent({FallbackCelEvent},…)): calls the dialplan routes while the engine is down could not be recorded afterwards from CEL");
        }
    }
}
