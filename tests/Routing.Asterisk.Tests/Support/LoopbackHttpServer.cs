using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Routing.Asterisk.Tests.Support;

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1:0 that counts accepted TCP connections, keeps them alive, and
/// answers every request with a fixed JSON body after a delay, or never (to provoke client timeouts).
/// </summary>
public sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Task _acceptLoop;
    private int _accepted;
    private int _requests;
    private int _concurrent;
    private int _maxConcurrent;

    public LoopbackHttpServer(string body, TimeSpan delay, bool neverAnswer = false)
    {
        Body = body;
        Delay = delay;
        NeverAnswer = neverAnswer;
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public string Body { get; }
    public TimeSpan Delay { get; }
    public bool NeverAnswer { get; }
    public Uri AriUrl => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/ari/");
    public int AcceptedConnections => Volatile.Read(ref _accepted);
    public int Requests => Volatile.Read(ref _requests);
    public int MaxConcurrentRequests => Volatile.Read(ref _maxConcurrent);

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            Interlocked.Increment(ref _accepted);
            lock (_connections) _connections.Add(ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var buffer = new byte[8192];
        var pending = new StringBuilder();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var n = await stream.ReadAsync(buffer, _stop.Token);
                if (n == 0) return;
                pending.Append(Encoding.ASCII.GetString(buffer, 0, n));
                int end;
                while ((end = pending.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal)) >= 0)
                {
                    pending.Remove(0, end + 4); // GET requests only: no body follows the headers
                    Interlocked.Increment(ref _requests);
                    var now = Interlocked.Increment(ref _concurrent);
                    int seen;
                    while (now > (seen = Volatile.Read(ref _maxConcurrent)) && Interlocked.CompareExchange(ref _maxConcurrent, now, seen) != seen) { }
                    try
                    {
                        if (NeverAnswer) await Task.Delay(Timeout.Infinite, _stop.Token);
                        await Task.Delay(Delay, _stop.Token);
                        var body = Encoding.UTF8.GetBytes(Body);
                        var head = Encoding.ASCII.GetBytes(
                            $"HTTP/1.1 200 OK\r\nServer: Asterisk/23.4.1\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n");
                        await stream.WriteAsync(head, _stop.Token);
                        await stream.WriteAsync(body, _stop.Token);
                    }
                    finally
                    {
                        Interlocked.Decrement(ref _concurrent);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException)
        {
            // Client went away or the test ended.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        Task[] all;
        lock (_connections) all = [.. _connections];
        await Task.WhenAll(all);
    }
}
