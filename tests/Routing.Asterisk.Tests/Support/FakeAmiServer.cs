using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace Routing.Asterisk.Tests.Support;

/// <summary>A scripted AMI server on 127.0.0.1:0: the test accepts each connection and plays Asterisk's side.</summary>
public sealed class FakeAmiServer : IAsyncDisposable
{
    public const string Banner = "Asterisk Call Manager/12.0.0\r\n";

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<FakeAmiPeer> _peers = Channel.CreateUnbounded<FakeAmiPeer>();
    private readonly List<FakeAmiPeer> _all = [];
    private readonly Task _loop;

    public FakeAmiServer()
    {
        _listener.Start();
        _loop = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public Task<FakeAmiPeer> NextAsync(int timeoutMs = 30000) =>
        Eventually.Within(_peers.Reader.ReadAsync().AsTask(), "an AMI client connection", timeoutMs);

    /// <summary>Accepts the next connection, sends the banner, reads its Login and accepts it (as Asterisk 23 does).</summary>
    public async Task<FakeAmiPeer> AcceptLoginAsync()
    {
        var peer = await NextAsync();
        await peer.SendAsync(Banner);
        var login = await peer.ReadActionAsync();
        if (login["Action"] != "Login") throw new InvalidOperationException("expected Login, got " + login["Action"]);
        await peer.SendAsync($"Response: Success\r\nActionID: {login["ActionID"]}\r\nMessage: Authentication accepted\r\n\r\n");
        peer.Login = login;
        return peer;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var peer = new FakeAmiPeer(client);
                lock (_all) _all.Add(peer);
                await _peers.Writer.WriteAsync(peer);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        lock (_all) foreach (var p in _all) p.Close();
    }
}

public sealed class FakeAmiPeer(TcpClient client)
{
    private readonly NetworkStream _stream = client.GetStream();
    private readonly StreamReader _reader = new(client.GetStream(), Encoding.UTF8);

    public Dictionary<string, string>? Login { get; set; }

    public async Task SendAsync(string raw)
    {
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(raw));
        await _stream.FlushAsync();
    }

    /// <summary>Reads one action the client sent (lines up to a blank line), independently of the client's parser.</summary>
    public async Task<Dictionary<string, string>> ReadActionAsync(int timeoutMs = 30000)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var raw = new StringBuilder();
        while (true)
        {
            var line = await Eventually.Within(_reader.ReadLineAsync(), "an action from the client", timeoutMs)
                       ?? throw new IOException("client closed the connection");
            if (line.Length == 0 && fields.Count > 0) break;
            if (line.Length == 0) continue;
            raw.Append(line).Append("\r\n");
            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            var key = line[..colon];
            fields[key] = fields.TryGetValue(key, out var earlier) ? earlier + "\n" + line[(colon + 2)..] : line[(colon + 2)..];
        }
        fields["__raw"] = raw.ToString();
        return fields;
    }

    public void Close() => client.Dispose();

    /// <summary>Resets the TCP connection (no FIN), as a crashed Asterisk would.</summary>
    public void Abort()
    {
        client.Client.LingerState = new LingerOption(true, 0);
        client.Dispose();
    }
}
