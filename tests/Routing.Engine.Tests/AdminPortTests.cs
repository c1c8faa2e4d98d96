using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Routing.Engine.Hosting;

namespace Routing.Engine.Tests;

/// <summary>A second engine on a taken admin port (a second `make run`) says so in one line.</summary>
public sealed class AdminPortTests
{
    private static TcpListener TakeAPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    [Fact]
    public async Task An_engine_whose_admin_port_is_taken_refuses_to_start_naming_the_port()
    {
        var taken = TakeAPort();
        try
        {
            var port = ((IPEndPoint)taken.LocalEndpoint).Port;

            var refused = await Assert.ThrowsAsync<AdminPortInUseException>(() =>
                EngineHarness.StartAsync(settings: new Dictionary<string, string?> { ["Admin:Urls"] = $"http://127.0.0.1:{port}" }));

            Assert.Equal($"port {port} is in use (another routing run?): set Admin:Urls or stop it", refused.Message);
        }
        finally
        {
            taken.Stop();
        }
    }

    [Fact]
    public async Task A_second_routing_run_prints_one_line_and_exits_with_an_error()
    {
        var taken = TakeAPort();
        try
        {
            var port = ((IPEndPoint)taken.LocalEndpoint).Port;

            var (exit, stdout, stderr) = await RoutingProcess.RunAsync(["run", "--plain"], new Dictionary<string, string> { ["Admin__Urls"] = $"http://127.0.0.1:{port}" });

            Assert.NotEqual(0, exit);
            Assert.Equal($"routing: port {port} is in use (another routing run?): set Admin:Urls or stop it", stderr.Trim());
            Assert.Equal("", stdout.Trim());
        }
        finally
        {
            taken.Stop();
        }
    }

    [Fact]
    public void A_port_taken_between_the_check_and_Kestrels_bind_is_recognised_in_Kestrels_error()
    {
        var kestrel = new IOException("Failed to bind to address http://127.0.0.1:9112: address already in use.", new AddressInUseException("Address already in use"));

        Assert.True(AdminPort.IsAddressInUse(kestrel));
        Assert.False(AdminPort.IsAddressInUse(new IOException("disk full")));
        Assert.Equal(("http://127.0.0.1:9112", 9112), AdminPort.FirstFixed("http://127.0.0.1:0;http://127.0.0.1:9112"));
    }

    [Fact]
    public void A_free_or_ephemeral_admin_port_passes_the_check()
    {
        var taken = TakeAPort();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        taken.Stop();

        AdminPort.EnsureFree($"http://127.0.0.1:{port}");
        AdminPort.EnsureFree("http://127.0.0.1:0");
    }
}
