using Routing.Checks.Asterisk;

namespace Routing.Checks.Checks;

internal static partial class DialplanCheck
{
    /// <summary>The priority label the engine continues to when it hands a call back (ARI
    /// <c>POST /channels/{id}/continue?label=fallback</c>; the engine's AriTelephony.FallbackLabel).</summary>
    public const string FallbackLabel = "fallback";

    /// <summary>
    /// Every extension that runs Stasis() has <c>n(fallback)</c> after it, on the fallback itself.
    /// Asterisk's ast_ari_channels_continue_in_dialplan looks the label up in the channel's current
    /// context and extension only (labels are case-sensitive), and answers 404 "Requested label can
    /// not be found" when that extension lacks it: the engine could not hand the call back.
    /// </summary>
    public static void CheckFallbackLabels(Dialplan dialplan, Findings findings)
    {
        var extensions = dialplan.Steps
            .GroupBy(s => (Context: s.Context.ToLowerInvariant(), s.Extension))
            .Where(g => g.Any(s => s.Is("Stasis")));
        foreach (var extension in extensions)
        {
            var steps = extension.ToList();
            var stasis = steps.First(s => s.Is("Stasis"));
            var where = $"extension {stasis.Extension} of [{stasis.Context}]";
            var label = steps.FirstOrDefault(s => string.Equals(s.Label, FallbackLabel, StringComparison.Ordinal));
            if (label is null)
            {
                findings.Error(stasis.File, stasis.Line,
                    $"{where} runs Stasis() but has no n({FallbackLabel}) label: the engine hands calls back with ARI continue?label={FallbackLabel}, " +
                    "which Asterisk looks up in this extension and answers 404 \"Requested label can not be found\"; the caller would not reach the fallback");
                continue;
            }
            if (label.Line < stasis.Line)
            {
                findings.Error(label.File, label.Line,
                    $"{where}: n({FallbackLabel}) comes before Stasis() (line {stasis.Line}): continuing there would run the extension again instead of the fallback");
            }
            else if (!(label.Is("Gosub") || label.Is("Dial") || label.Is("Queue")))
            {
                findings.Error(label.File, label.Line,
                    $"{where}: n({FallbackLabel}) runs {label.App}(), not the fallback Gosub() or Dial(): a call the engine hands back would not be put through");
            }
        }
    }
}
