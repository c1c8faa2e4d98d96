using Routing.Calls;
using Routing.Calls.Ports;

namespace Routing.Bench.Micro;

/// <summary>A journal that only counts what it is given and keeps the last outcome, so the call
/// benchmark measures the call, not a database, and can still check the call ended as expected.</summary>
public sealed class InMemoryJournal : ICallJournal
{
    public long Records { get; private set; }

    public string? LastOutcome { get; private set; }

    public ValueTask CallArrivedAsync(CallRecord call, CancellationToken cancellationToken) => Count();

    public ValueTask LegPlannedAsync(LegRecord leg, CancellationToken cancellationToken) => Count();

    public ValueTask AppendAsync(CallEventRecord callEvent, CancellationToken cancellationToken)
    {
        if (callEvent.Kind == "outcome") LastOutcome = callEvent.Detail;
        return Count();
    }

    private ValueTask Count()
    {
        Records++;
        return ValueTask.CompletedTask;
    }
}

/// <summary>Metrics are not what the call benchmark measures.</summary>
public sealed class SilentObserver : ICallObserver
{
    public void StateChanged(CallState from, CallState to) { }

    public void AgencyAnswered(string agency, string trunk, TimeSpan sinceArrival) { }

    public void LegFailed(string agency, string trunk, string reason) { }

    public void CallEnded(string agency, CallOutcome outcome, TimeSpan duration) { }

    public void CallTakerClassified(string? agency, ClassificationKind kind) { }
}
