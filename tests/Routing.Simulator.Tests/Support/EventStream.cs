using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Routing.Simulator.Tests.Support;

/// <summary>A plain ARI events websocket client that collects every frame, for tests to wait on.</summary>
internal sealed class EventStream : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Channel<string> _frames = Channel.CreateUnbounded<string>();
    private readonly List<string> _all = new();
    private readonly Task _reader;
    private readonly CancellationTokenSource _stop = new();

    private EventStream(ClientWebSocket socket)
    {
        _socket = socket;
        _reader = ReadAsync();
    }

    public static Uri Url(SimulatedAsterisk sim, string app, string credentials = "routing:routing-secret", string extra = "")
    {
        var http = sim.AriBaseUrl;
        return new Uri($"ws://{http.Host}:{http.Port}/ari/events?app={Uri.EscapeDataString(app)}&api_key={Uri.EscapeDataString(credentials)}{extra}");
    }

    public static async Task<EventStream> ConnectAsync(SimulatedAsterisk sim, string app = "routing112", string extra = "")
    {
        var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(Wait.Bound);
        await socket.ConnectAsync(Url(sim, app, extra: extra), timeout.Token);
        var stream = new EventStream(socket);
        await Wait.UntilAsync(() => sim.ConnectedEventSockets > 0, "the simulator registered the event socket");
        return stream;
    }

    public WebSocketState State => _socket.State;
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;
    public Task Closed => _reader;

    public IReadOnlyList<string> All
    {
        get { lock (_all) return _all.ToArray(); }
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var result = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (_socket.State == WebSocketState.CloseReceived)
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, _stop.Token);
                    break;
                }
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage) continue;
                string text = Encoding.UTF8.GetString(message.ToArray());
                message.SetLength(0);
                lock (_all) _all.Add(text);
                await _frames.Writer.WriteAsync(text);
            }
        }
        catch (WebSocketException) { /* aborted by the server: the test looks at State */ }
        catch (OperationCanceledException) { /* disposed */ }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }

    /// <summary>The next frame, parsed; fails the test after <paramref name="timeout"/> (default Wait.Bound).</summary>
    public async Task<JsonElement> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Wait.Bound);
        try
        {
            string text = await _frames.Reader.ReadAsync(cts.Token);
            return JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no ARI event within {timeout ?? Wait.Bound}; received so far:\n{string.Join("\n", All)}");
        }
    }

    /// <summary>Sends one text message to the simulator on this socket (ARI REST over WebSocket).</summary>
    public async Task SendAsync(string text)
    {
        using var cts = new CancellationTokenSource(Wait.Bound);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, cts.Token);
    }

    public async Task<string> NextRawAsync()
    {
        using var cts = new CancellationTokenSource(Wait.Bound);
        return await _frames.Reader.ReadAsync(cts.Token);
    }

    /// <summary>Reads events until one of <paramref name="type"/> matches; returns it and everything read before it.</summary>
    public async Task<(JsonElement Match, List<JsonElement> Before)> UntilAsync(string type, Func<JsonElement, bool>? where = null, TimeSpan? timeout = null)
    {
        var before = new List<JsonElement>();
        var deadline = DateTime.UtcNow + (timeout ?? Wait.Bound);
        for (int i = 0; i < 10_000; i++)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) break;
            var e = await NextAsync(left);
            if (e.GetProperty("type").GetString() == type && (where is null || where(e))) return (e, before);
            before.Add(e);
        }
        throw new TimeoutException($"no {type} event; got: {string.Join(", ", before.Select(b => b.GetProperty("type").GetString()))}");
    }

    /// <summary>True if no frame arrives for <paramref name="quiet"/> (used only to show that nothing is replayed).</summary>
    public async Task<bool> NothingForAsync(TimeSpan quiet)
    {
        using var cts = new CancellationTokenSource(quiet);
        try
        {
            await _frames.Reader.WaitToReadAsync(cts.Token);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    public async Task CloseAsync()
    {
        if (_socket.State == WebSocketState.Open)
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await Task.WhenAny(_reader, Task.Delay(TimeSpan.FromSeconds(5)));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Abort();
        await _reader;
        _socket.Dispose();
        _stop.Dispose();
    }
}
