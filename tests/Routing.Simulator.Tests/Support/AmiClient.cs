using System.Net.Sockets;
using System.Text;

namespace Routing.Simulator.Tests.Support;

/// <summary>A raw AMI TCP client: writes action text, collects whatever the server sends, split into messages.</summary>
internal sealed class AmiClient : IAsyncDisposable
{
    private readonly TcpClient _tcp = new();
    private readonly StringBuilder _received = new();
    private NetworkStream _stream = null!;
    private Task _reader = Task.CompletedTask;

    public static async Task<AmiClient> ConnectAsync(SimulatedAsterisk sim, bool login = true)
    {
        var client = new AmiClient();
        await client._tcp.ConnectAsync(sim.AmiEndPoint);
        client._stream = client._tcp.GetStream();
        client._reader = client.ReadAsync();
        await client.WaitForTextAsync("Asterisk Call Manager/12.0.0\r\n");
        if (login)
        {
            await client.SendAsync("Action: Login\r\nUsername: routing\r\nSecret: routing-secret\r\nEvents: on\r\nActionID: login-1\r\n\r\n");
            await client.WaitForTextAsync("Event: FullyBooted\r\n");
        }
        return client;
    }

    public string Text
    {
        get { lock (_received) return _received.ToString(); }
    }

    public bool Closed => _reader.IsCompleted;

    /// <summary>Messages (blank-line separated) after the banner, each as its raw text without the final blank line.</summary>
    public IReadOnlyList<string> Messages
    {
        get
        {
            string text = Text;
            int start = text.IndexOf("\r\n", StringComparison.Ordinal) + 2;
            return text[start..].Split("\r\n\r\n", StringSplitOptions.RemoveEmptyEntries);
        }
    }

    public IEnumerable<string> Events(string name) => Messages.Where(m => m.StartsWith($"Event: {name}\r\n", StringComparison.Ordinal));

    public async Task SendAsync(string text) => await _stream.WriteAsync(Encoding.UTF8.GetBytes(text));

    public Task WaitForTextAsync(string fragment, TimeSpan? timeout = null) =>
        Wait.UntilAsync(() => Text.Contains(fragment, StringComparison.Ordinal), $"AMI sent '{fragment.Replace("\r\n", "\\r\\n")}'; got:\n{Text}", timeout);

    public Task WaitForMessageAsync(Func<string, bool> predicate, string what, TimeSpan? timeout = null) =>
        Wait.UntilAsync(() => Messages.Any(predicate), what, timeout);

    private async Task ReadAsync()
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                int n = await _stream.ReadAsync(buffer);
                if (n == 0) return;
                lock (_received) _received.Append(Encoding.UTF8.GetString(buffer, 0, n));
            }
        }
        catch (IOException) { /* the server closed the connection: Closed is true */ }
        catch (ObjectDisposedException) { /* disposed by the test */ }
    }

    public async ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        await _reader;
    }
}
