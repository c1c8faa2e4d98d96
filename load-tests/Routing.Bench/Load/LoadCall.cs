using Routing.Simulator;

namespace Routing.Bench.Load;

/// <summary>The kinds of caller in the load mix, each with the outcome the engine must record.</summary>
public enum LoadCallKind
{
    /// <summary>112, language and service digits, agency of the caller's region answers.</summary>
    MenuToAgency,

    /// <summary>101–104: straight to the agency, no menu.</summary>
    Direct,

    /// <summary>112, hangs up while the menu plays: AbandonedInIvr (with a callback task).</summary>
    AbandonInMenu,

    /// <summary>Astana caller for the police, whose first trunk is busy: the second one answers.</summary>
    BusyPrimary,
}

/// <summary>One scripted caller of a load run. Plain data, so it can cross to a child-process
/// simulator as JSON; <see cref="ToScript"/> is the same on both sides.</summary>
public sealed record LoadCall(int Seq, LoadCallKind Kind, string Caller, string Dialed, string Digits, int DigitGapMs, int HangUpAfterMs)
{
    public CallScript ToScript() => new(
        Caller,
        Dialed,
        "Load caller",
        Dtmf: Digits.Select(d => new DtmfStep(d, TimeSpan.FromMilliseconds(DigitGapMs))).ToList(),
        HangUpAfter: TimeSpan.FromMilliseconds(HangUpAfterMs));

    /// <summary>The ledger outcome this caller must end with.</summary>
    public string ExpectedOutcome => Kind == LoadCallKind.AbandonInMenu ? "AbandonedInIvr" : "Completed";

    /// <summary>Whether an agency leg must answer (and so an answer latency exists).</summary>
    public bool ExpectsAnswer => Kind != LoadCallKind.AbandonInMenu;
}
