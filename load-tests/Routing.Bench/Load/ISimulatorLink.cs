using Routing.Engine.Hosting;
using System.Diagnostics;
using Routing.Simulator;

namespace Routing.Bench.Load;

/// <summary>The simulated Asterisk a load run drives: in this process, or in a child process so
/// its CPU can be told apart from the engine's.</summary>
public interface ISimulatorLink : IAsyncDisposable
{
    /// <summary>"in process" or "child process".</summary>
    string Placement { get; }

    AsteriskAddress Address { get; }

    /// <summary>The child process, whose CPU and memory are "Asterisk's"; null when in process.</summary>
    Process? ChildProcess { get; }

    Task<PlacedCall> PlaceAsync(LoadCall call, CancellationToken cancellationToken);

    Task<SimulatorCounters> CountersAsync(CancellationToken cancellationToken);
}

/// <summary>Where the engine finds the simulator, and the credentials it was started with.</summary>

/// <summary>A caller in the simulator: its channel id and when its channel is gone.</summary>
public sealed record PlacedCall(LoadCall Call, string ChannelId, Task<CallEnd> Ended);

/// <summary>The simulator's own counters that the report uses.</summary>
public sealed record SimulatorCounters(
    long RestRequests,
    long AriEventsSent,
    long CallsReachedStasis,
    long FallbackDials,
    long EventSocketsOverflowed,
    long InternalErrors,
    int ActiveChannels,
    int ConnectedEventSockets)
{
    public static SimulatorCounters From(SimulatorStats stats, int connectedEventSockets) => new(
        stats.RestRequests, stats.AriEventsSent, stats.CallsReachedStasis, stats.FallbackDials,
        stats.EventSocketsOverflowed, stats.InternalErrors, stats.ActiveChannels, connectedEventSockets);

    public SimulatorCounters Since(SimulatorCounters start) => this with
    {
        RestRequests = RestRequests - start.RestRequests,
        AriEventsSent = AriEventsSent - start.AriEventsSent,
        CallsReachedStasis = CallsReachedStasis - start.CallsReachedStasis,
        FallbackDials = FallbackDials - start.FallbackDials,
        EventSocketsOverflowed = EventSocketsOverflowed - start.EventSocketsOverflowed,
        InternalErrors = InternalErrors - start.InternalErrors,
    };
}
