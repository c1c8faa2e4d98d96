namespace Routing.Calls.Ports;

/// <summary>Live view of calls for metrics and dashboards. Must not block: implementations only
/// bump counters. Labels are low-cardinality (agency, state, outcome), never a call id.</summary>
public interface ICallObserver
{
    void StateChanged(CallState from, CallState to);

    void AgencyAnswered(string agency, string trunk, TimeSpan sinceArrival);

    void LegFailed(string agency, string trunk, string reason);

    void CallEnded(string agency, CallOutcome outcome, TimeSpan duration);

    /// <summary>A call-taker classified a call (agency null for non-emergencies without one).</summary>
    void CallTakerClassified(string? agency, ClassificationKind kind);
}
