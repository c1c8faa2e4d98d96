using Routing.Engine.Hosting;
using Routing.Simulator;

namespace Routing.Bench.Load;

/// <summary>
/// The child process of the transport runs (<c>Routing.Bench --simulator-host</c>): a simulated
/// Asterisk on 127.0.0.1, driven over stdin/stdout (<see cref="HostProtocol"/>), so the parent can
/// read this process's CPU time as "Asterisk's" apart from the engine's. It ends when stdin closes
/// (the parent went away) or on <c>quit</c>.
/// </summary>
public static class SimulatorHost
{
    public static async Task<int> RunAsync(TextReader input, TextWriter output, CancellationToken cancellationToken)
    {
        var options = LoadPbx.Options();
        await using var asterisk = await SimulatedAsterisk.StartAsync(options, cancellationToken);
        var gate = new object();
        void Send(HostMessage message)
        {
            var line = HostProtocol.Write(message);
            lock (gate)
            {
                output.WriteLine(line);
                output.Flush();
            }
        }

        Send(new HostMessage(HostMessage.Ready, Address: AsteriskAddress.Of(asterisk, options)));

        while (!cancellationToken.IsCancellationRequested)
        {
            var line = await input.ReadLineAsync(cancellationToken);
            if (line is null) return 0; // parent gone
            if (line.Length == 0) continue;

            HostMessage command;
            try
            {
                command = HostProtocol.Read(line);
            }
            catch (FormatException ex)
            {
                Send(new HostMessage(HostMessage.Failed, Error: ex.Message));
                continue;
            }

            switch (command.Op)
            {
                case HostMessage.Place when command.Call is { } call:
                    await PlaceAsync(asterisk, command.Seq, call, Send, cancellationToken);
                    break;
                case HostMessage.CountersOp:
                    Send(new HostMessage(HostMessage.CountersOp, command.Seq, Counters: SimulatorCounters.From(asterisk.Stats, asterisk.ConnectedEventSockets)));
                    break;
                case HostMessage.Quit:
                    return 0;
                default:
                    Send(new HostMessage(HostMessage.Failed, command.Seq, Error: $"simulator host: unknown or incomplete command '{command.Op}'"));
                    break;
            }
        }

        return 0;
    }

    private static async Task PlaceAsync(SimulatedAsterisk asterisk, int seq, LoadCall call, Action<HostMessage> send, CancellationToken cancellationToken)
    {
        SimulatedCall placed;
        try
        {
            placed = await asterisk.PlaceCallAsync(call.ToScript(), cancellationToken);
        }
        catch (ArgumentException ex)
        {
            send(new HostMessage(HostMessage.Failed, seq, Error: $"call {seq}: {ex.Message}"));
            return;
        }

        send(new HostMessage(HostMessage.Placed, seq, Channel: placed.ChannelId));
        _ = placed.Ended.ContinueWith(
            ended => send(new HostMessage(HostMessage.Ended, seq, Channel: placed.ChannelId, End: ended.Result)),
            CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
    }
}
