using System.Net;
using System.Net.Sockets;

namespace Routing.Engine.Tests.Support;

/// <summary>
/// A loopback TCP relay in front of a server (port 0, then the same port again): <see cref="Stop"/> resets
/// every relayed connection and refuses new ones, as a stopped server does; <see cref="Restart"/> listens
/// again. The engine sees its database stop and come back without the test stopping a server others use.
/// </summary>
internal sealed class TcpOutage : IAsyncDisposable
{
    private readonly DnsEndPoint target;
    private readonly object gate = new();
    private readonly List<TcpClient> relayed = [];
    private TcpListener? listener;
    private CancellationTokenSource running = new();

    private TcpOutage(DnsEndPoint target)
    {
        this.target = target;
        Listen(0);
    }

    public int Port { get; private set; }

    public static TcpOutage Before(string host, int port) => new(new DnsEndPoint(host, port));

    /// <summary>Resets every open connection and refuses new ones.</summary>
    public void Stop()
    {
        lock (gate)
        {
            listener?.Stop();
            listener = null;
            running.Cancel();
            foreach (var client in relayed)
            {
                client.Client.LingerState = new LingerOption(true, 0); // RST, as a killed server
                client.Dispose();
            }

            relayed.Clear();
        }
    }

    public void Restart()
    {
        lock (gate)
        {
            running.Dispose();
            running = new CancellationTokenSource();
            Listen(Port);
        }
    }

    private void Listen(int port)
    {
        var next = new TcpListener(IPAddress.Loopback, port);
        next.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        next.Start();
        listener = next;
        Port = ((IPEndPoint)next.LocalEndpoint).Port;
        _ = AcceptAsync(next, running.Token);
    }

    private async Task AcceptAsync(TcpListener from, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await from.AcceptTcpClientAsync(stop);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = RelayAsync(client, stop);
        }
    }

    private async Task RelayAsync(TcpClient client, CancellationToken stop)
    {
        var server = new TcpClient();
        lock (gate)
        {
            relayed.Add(client);
            relayed.Add(server);
        }

        try
        {
            await server.ConnectAsync(target.Host, target.Port, stop);
            var up = client.GetStream().CopyToAsync(server.GetStream(), stop);
            var down = server.GetStream().CopyToAsync(client.GetStream(), stop);
            await Task.WhenAny(up, down);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // Stop() cut it, or one side closed.
        }
        finally
        {
            lock (gate)
            {
                relayed.Remove(client);
                relayed.Remove(server);
            }

            client.Dispose();
            server.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        running.Dispose();
        return ValueTask.CompletedTask;
    }
}
