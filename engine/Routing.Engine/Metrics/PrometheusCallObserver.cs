using Routing.Calls;
using Routing.Calls.Ports;

namespace Routing.Engine.Metrics;

/// <summary>The call domain's live view, as Prometheus counters. Only bumps counters: never blocks a call.</summary>
internal sealed class PrometheusCallObserver(CallTally tally, Centre.CentreTally? centreTally = null, Wallboard.WallboardHistory? wallboard = null) : ICallObserver
{
    public void StateChanged(CallState from, CallState to)
    {
        if (from == CallState.Arrived)
        {
            // Every call leaves Arrived exactly once: its arrival for the wallboard's calls per minute.
            wallboard?.RecordArrival();
        }

        EngineMetrics.ActiveCalls.WithLabels(Label(from)).Dec();
        if (to != CallState.Ended)
        {
            EngineMetrics.ActiveCalls.WithLabels(Label(to)).Inc();
        }
    }

    public void AgencyAnswered(string agency, string trunk, TimeSpan sinceArrival) =>
        EngineMetrics.AgencyAnswerSeconds.WithLabels(agency).Observe(sinceArrival.TotalSeconds);

    public void LegFailed(string agency, string trunk, string reason)
    {
        EngineMetrics.LegFailures.WithLabels(agency, trunk, reason).Inc();
        wallboard?.RecordTrunkFailure(trunk, reason);
    }

    public void CallEnded(string agency, CallOutcome outcome, TimeSpan duration)
    {
        EngineMetrics.CallsTotal.WithLabels(agency, outcome.ToString()).Inc();
        EngineMetrics.CallDurationSeconds.WithLabels(outcome.ToString()).Observe(duration.TotalSeconds);
        tally.Record(agency, outcome);
    }

    public void ExpectedRaceLost(string command) => EngineMetrics.ExpectedRacesLost.WithLabels(command).Inc();

    public void CallTakerClassified(string? agency, ClassificationKind kind) =>
        centreTally?.RecordClassification(agency ?? "none", Operators.CallCards.KindName(kind), kind == ClassificationKind.NonEmergency);

    /// <summary>A new call starts in Arrived; the machine reports transitions only.</summary>
    public static void CallArrived() => EngineMetrics.ActiveCalls.WithLabels(Label(CallState.Arrived)).Inc();

    private static string Label(CallState state) => state.ToString();
}
