using Routing.Calls.Ports;

namespace Routing.Calls.Tests.Fakes;

public sealed class FakeObserver : ICallObserver
{
    private readonly List<string> _seen = [];

    public IReadOnlyList<string> Seen
    {
        get
        {
            lock (_seen) return _seen.ToList();
        }
    }

    public List<(string Agency, CallOutcome Outcome, TimeSpan Duration)> Ended { get; } = [];

    public List<(string Agency, string Trunk, TimeSpan SinceArrival)> Answered { get; } = [];

    public void StateChanged(CallState from, CallState to) => Add($"state {from}->{to}");

    public void AgencyAnswered(string agency, string trunk, TimeSpan sinceArrival)
    {
        lock (_seen) Answered.Add((agency, trunk, sinceArrival));
        Add($"answered {agency} {trunk}");
    }

    public void LegFailed(string agency, string trunk, string reason) => Add($"legFailed {agency} {trunk}");

    public void CallEnded(string agency, CallOutcome outcome, TimeSpan duration)
    {
        lock (_seen) Ended.Add((agency, outcome, duration));
        Add($"ended {agency} {outcome}");
    }

    public void CallTakerClassified(string? agency, ClassificationKind kind) => Add($"classified {agency ?? "-"} {kind}");

    private void Add(string entry)
    {
        lock (_seen) _seen.Add(entry);
    }
}
