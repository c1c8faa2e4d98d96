using Routing.Simulator;

namespace Routing.Bench.Load;

/// <summary>The simulated Asterisk of every load run, in process or in the child process alike:
/// fast prompts, agencies that answer after 50 ms, and one busy primary trunk.</summary>
public static class LoadPbx
{
    public const string BusyTrunk = "police-astana-1";
    public const string BusyTrunkBackup = "police-astana-2";
    public static readonly TimeSpan PromptDuration = TimeSpan.FromMilliseconds(40);
    public static readonly TimeSpan AgencyAnswerDelay = TimeSpan.FromMilliseconds(50);

    public static SimulatorOptions Options() => new()
    {
        DefaultPromptDuration = PromptDuration,
        UnknownEndpointBehavior = TrunkBehavior.Answers(AgencyAnswerDelay),
        Trunks = { [BusyTrunk] = TrunkBehavior.Busy(AgencyAnswerDelay) },
        // The request counter (Stats.RestRequests) is what the bench reads; a 100,000-entry log
        // would only add memory and CPU to the simulator side of the figures.
        MaxRecordedRequests = 0,
    };
}
