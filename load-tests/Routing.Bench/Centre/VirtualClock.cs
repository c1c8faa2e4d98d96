namespace Routing.Bench.Centre;

/// <summary>Virtual time for the centre runs: moves only when told, so an hour of a call-taker centre
/// takes milliseconds and every run with the same seed gives the same figures.</summary>
public sealed class VirtualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; private set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    public void AdvanceTo(DateTimeOffset at)
    {
        if (at > Now) Now = at;
    }

    public void Advance(TimeSpan by) => Now += by;
}
