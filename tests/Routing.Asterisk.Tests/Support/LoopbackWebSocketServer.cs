using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;

namespace Routing.Asterisk.Tests.Support;

/// <summary>
/// A tiny websocket server on 127.0.0.1:0 playing Asterisk's /ari/events: it performs the HTTP upgrade by
/// hand (or refuses it with the status the test chooses) and hands each accepted socket to the test.
/// </summary>
public sealed class LoopbackWebSocketServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<ServerSocket> _accepted = Channel.CreateUnbounded<ServerSocket>();
    private readonly Func<int, int> _statusForAttempt;
    private readonly Task _loop;
    private readonly List<TcpClient> _clients = [];
    private int _attempts;

    /// <param name="statusForAttempt">HTTP status for the n-th handshake (1-based): 101 accepts, anything else refuses.</param>
    public LoopbackWebSocketServer(Func<int, int>? statusForAttempt = null)
    {
        _statusForAttempt = statusForAttempt ?? (_ => 101);
        _listener.Start();
        _loop = AcceptLoopAsync();
    }

    public Uri AriUrl => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/ari/");
    public int Attempts => Volatile.Read(ref _attempts);
    public List<string> RefusedRequests { get; } = [];

    public async Task<ServerSocket> NextAsync(int timeoutMs = 30000) =>
        await Eventually.Within(_accepted.Reader.ReadAsync().AsTask(), "a websocket connection from the client", timeoutMs);

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
            lock (_clients) _clients.Add(client);
            var attempt = Interlocked.Increment(ref _attempts);
            try
            {
                await HandshakeAsync(client, _statusForAttempt(attempt));
            }
            catch (IOException)
            {
                client.Dispose();
            }
        }
    }

    private async Task HandshakeAsync(TcpClient client, int status)
    {
        var stream = client.GetStream();
        var head = await ReadHeadAsync(stream);
        var lines = head.Split("\r\n");
        var headers = lines.Skip(1).Where(l => l.Contains(':'))
            .ToDictionary(l => l[..l.IndexOf(':')].Trim(), l => l[(l.IndexOf(':') + 1)..].Trim(), StringComparer.OrdinalIgnoreCase);
        if (status != 101)
        {
            lock (RefusedRequests) RefusedRequests.Add(lines[0]);
            var reason = status == 401 ? "Unauthorized" : "Bad Request";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"HTTP/1.1 {status} {reason}\r\nServer: Asterisk/23.4.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
            client.Dispose();
            return;
        }
        var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(headers["Sec-WebSocket-Key"] + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"));
        var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        await _accepted.Writer.WriteAsync(new ServerSocket(lines[0], headers, socket, client));
    }

    private static async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        // Byte by byte, so nothing after the blank line is consumed (the client sends no frames before 101 anyway).
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one) == 0) throw new IOException("client closed during the handshake");
            head.Append((char)one[0]);
            if (head.Length > 16 * 1024) throw new IOException("handshake head too large");
        }
        return head.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        lock (_clients) foreach (var c in _clients) c.Dispose();
    }
}

public sealed class ServerSocket(string requestLine, IReadOnlyDictionary<string, string> headers, WebSocket socket, TcpClient tcp)
{
    public string RequestLine { get; } = requestLine;
    public IReadOnlyDictionary<string, string> Headers { get; } = headers;
    public WebSocket Socket { get; } = socket;

    public Task SendAsync(string text) =>
        Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    /// <summary>Sends one message as several websocket frames.</summary>
    public async Task SendFragmentedAsync(string text, int parts)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var size = (bytes.Length + parts - 1) / parts;
        for (var offset = 0; offset < bytes.Length; offset += size)
        {
            var count = Math.Min(size, bytes.Length - offset);
            await Socket.SendAsync(bytes.AsMemory(offset, count), WebSocketMessageType.Text, offset + count >= bytes.Length, CancellationToken.None);
        }
    }

    /// <summary>Reads one whole text message the client sent.</summary>
    public async Task<string> ReceiveTextAsync(int timeoutMs = 30000)
    {
        var buffer = new byte[64 * 1024];
        var count = 0;
        while (true)
        {
            var result = await Eventually.Within(Socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None).AsTask(), "a message from the client", timeoutMs);
            if (result.MessageType == WebSocketMessageType.Close) throw new IOException("client closed the websocket");
            count += result.Count;
            if (result.EndOfMessage) return Encoding.UTF8.GetString(buffer, 0, count);
        }
    }

    public Task CloseAsync() => Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);

    /// <summary>Drops the TCP connection without a close frame (test B of ari-websocket-drop.md).</summary>
    public void Abort()
    {
        tcp.Client.LingerState = new LingerOption(true, 0);
        tcp.Dispose();
    }
}
