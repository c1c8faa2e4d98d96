using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;

namespace Routing.Simulator.Ari;

/// <summary>
/// One ARI event websocket: a bounded queue and a single writer loop, so frames never interleave and the PBX lock
/// never waits on a slow client. A client that falls <c>capacity</c> frames behind is cut off, as Asterisk does
/// when a write stalls past websocket_write_timeout.
/// </summary>
internal sealed class EventSocket
{
    private readonly WebSocket _socket;
    private readonly HttpContext _http;
    private readonly Channel<string> _queue;
    private readonly Func<string, string?> _onMessage;
    private int _closeRequested;

    /// <param name="onMessage">Handles a text message from the client (ARI REST over WebSocket) and returns
    /// the frame to send back on this socket, or null for none.</param>
    public EventSocket(WebSocket socket, HttpContext http, IReadOnlyList<string> apps, bool subscribeAll, int capacity, Func<string, string?> onMessage)
    {
        _socket = socket;
        _http = http;
        _onMessage = onMessage;
        Apps = apps;
        SubscribeAll = subscribeAll;
        _queue = Channel.CreateBounded<string>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    public IReadOnlyList<string> Apps { get; }
    public bool SubscribeAll { get; }
    public bool Overflowed { get; private set; }

    /// <summary>Set under the PBX lock when the socket no longer receives events.</summary>
    public bool Detached { get; set; }

    public bool TryEnqueue(string frame)
    {
        if (_queue.Writer.TryWrite(frame)) return true;
        if (!Overflowed)
        {
            Overflowed = true;
            // Called under the PBX lock: abort on the pool, so no connection-teardown code runs inline under it.
            ThreadPool.UnsafeQueueUserWorkItem(static http => AbortIfOpen(http), _http, preferLocal: false);
        }
        return false;
    }

    /// <summary>Send what is queued, then a close frame (1000).</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _closeRequested, 1) == 0) _queue.Writer.TryComplete();
    }

    /// <summary>Drop the TCP connection without a close frame.</summary>
    public void Abort() => AbortIfOpen(_http);

    /// <summary>A connection the client already closed has finished its request, and Kestrel disposes its
    /// context: there is nothing left to abort then (the simulator's disposal raced the engine's own close).</summary>
    private static void AbortIfOpen(HttpContext http)
    {
        try
        {
            http.Abort();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Runs until the client closes, the connection drops, or <paramref name="ct"/> fires.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var writer = WriteLoopAsync(stop.Token);
        try
        {
            await ReadLoopAsync(stop.Token);
        }
        finally
        {
            _queue.Writer.TryComplete();
            await stop.CancelAsync();
            await writer;
        }
    }

    /// <summary>Largest client message taken (a RESTRequest with its body); a longer one is read and dropped.</summary>
    private const int MaxMessageBytes = 1 << 20;

    private async Task ReadLoopAsync(CancellationToken ct)
    {
        var buffer = new byte[4096];
        var message = new MemoryStream();
        bool oversized = false;
        try
        {
            while (_socket.State == WebSocketState.Open || _socket.State == WebSocketState.CloseSent)
            {
                var result = await _socket.ReceiveAsync(buffer, ct);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (_socket.State == WebSocketState.CloseReceived)
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                    return;
                }
                if (result.MessageType != WebSocketMessageType.Text) continue; // Asterisk ignores other opcodes
                if (message.Length + result.Count > MaxMessageBytes) oversized = true;
                else message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage) continue;

                string text = Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
                message.SetLength(0);
                if (oversized)
                {
                    oversized = false;
                    continue;
                }
                // REST over WebSocket: the answer goes out on this socket's queue, in order with the events.
                if (_onMessage(text) is { } reply) TryEnqueue(reply);
            }
        }
        catch (OperationCanceledException) { /* shutting down */ }
        catch (WebSocketException) { /* TCP dropped or aborted: the connection is over */ }
        catch (IOException) { /* same, surfaced by the transport */ }
    }

    private async Task WriteLoopAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var frame in _queue.Reader.ReadAllAsync(ct))
                await _socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, ct);
            if (Volatile.Read(ref _closeRequested) == 1 && _socket.State == WebSocketState.Open)
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
        }
        catch (OperationCanceledException) { /* shutting down */ }
        catch (WebSocketException) { /* peer gone; the read loop ends the connection */ }
        catch (IOException) { /* same */ }
        catch (ObjectDisposedException) { /* the socket was aborted under us */ }
    }
}
