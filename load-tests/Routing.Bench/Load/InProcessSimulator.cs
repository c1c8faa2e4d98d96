using Routing.Engine.Hosting;
using System.Diagnostics;
using Routing.Simulator;

namespace Routing.Bench.Load;

/// <summary>The simulator in the bench's own process (as the engine's integration tests run it):
/// cheapest to drive, but its CPU and allocations count as the engine's.</summary>
public sealed class InProcessSimulator : ISimulatorLink
{
    private readonly SimulatedAsterisk asterisk;

    private InProcessSimulator(SimulatedAsterisk asterisk, SimulatorOptions options)
    {
        this.asterisk = asterisk;
        Address = AsteriskAddress.Of(asterisk, options);
    }

    public string Placement => "in process";

    public AsteriskAddress Address { get; }

    public Process? ChildProcess => null;

    public static async Task<InProcessSimulator> StartAsync(CancellationToken cancellationToken)
    {
        var options = LoadPbx.Options();
        return new InProcessSimulator(await SimulatedAsterisk.StartAsync(options, cancellationToken), options);
    }

    public async Task<PlacedCall> PlaceAsync(LoadCall call, CancellationToken cancellationToken)
    {
        var placed = await asterisk.PlaceCallAsync(call.ToScript(), cancellationToken);
        return new PlacedCall(call, placed.ChannelId, placed.Ended);
    }

    public Task<SimulatorCounters> CountersAsync(CancellationToken cancellationToken) =>
        Task.FromResult(SimulatorCounters.From(asterisk.Stats, asterisk.ConnectedEventSockets));

    public ValueTask DisposeAsync() => asterisk.DisposeAsync();
}
