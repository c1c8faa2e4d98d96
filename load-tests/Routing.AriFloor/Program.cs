using System.Runtime.InteropServices;
using Routing.Asterisk.Ari;
using Routing.AriFloor;

// ari-floor: the bare ARI client of make bench-asterisk (see load-tests/asterisk/README.md).
// Prints "ari-floor: connected" once the app is registered, and its counters when stopped (SIGTERM/SIGINT).
FloorOptions options;
try
{
    options = FloorOptions.Parse(args, Environment.GetEnvironmentVariable);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine("ari-floor: " + ex.Message);
    return 2;
}

using var stop = new CancellationTokenSource();
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });

using var events = new AriEventStream(options.Ari);
using var rest = options.RestOverWebSocket ? new AriRestClient(options.Ari, events) : new AriRestClient(options.Ari);
var calls = new FloorCalls(rest, options.Ari.Application, options.AgencyEndpoint, Console.Error);
var run = events.RunAsync(stop.Token);
try
{
    await foreach (var message in events.Reader.ReadAllAsync(stop.Token))
    {
        if (message is AriConnected)
        {
            // Only the three events the flow reads: Asterisk builds and sends nothing else to us.
            await rest.SetEventFilterAsync(options.Ari.Application, ["StasisStart", "StasisEnd", "ChannelDestroyed"], null, stop.Token);
            Console.WriteLine("ari-floor: connected");
        }
        else if (message is AriConnectFailed failed)
        {
            Console.Error.WriteLine($"ari-floor: connect failed ({failed.StatusCode}): {failed.Reason}");
        }
        _ = calls.Handle(message);
    }
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
}
await run.ConfigureAwait(false);
Console.WriteLine($"ari-floor: calls {calls.Started}, bridged {calls.Bridged}, ended {calls.Ended}, open {calls.Open}, errors {calls.Failed}");
return 0;
