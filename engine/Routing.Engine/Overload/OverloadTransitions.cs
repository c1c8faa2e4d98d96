using Microsoft.Extensions.Logging;
using Routing.Engine.Metrics;

namespace Routing.Engine.Overload;

/// <summary>What a change of the guard's state tells people: the gauge and one warning. Whoever asked the guard
/// when it changed reports it (a new caller's StasisStart, or the dialplan flag's tick).</summary>
internal static class OverloadTransitions
{
    public static void Report(ILogger logger, OverloadGuard.Transition transition, Admission admission)
    {
        switch (transition)
        {
            case OverloadGuard.Transition.StartedShedding:
                EngineMetrics.OverloadShedding.Set(1);
                LogMessages.OverloadShedding(logger, admission.Reason!);
                break;
            case OverloadGuard.Transition.Recovered:
                EngineMetrics.OverloadShedding.Set(0);
                LogMessages.OverloadRecovered(logger);
                break;
        }
    }
}
